import { ServiceUnavailableError, type Logger } from '@aegis/common';
import { Redis } from 'ioredis';
import {
  serializedBytes,
  WORKING_MEMORY_MAX_BYTES,
  type FieldMap,
  type PutOutcome,
  type WorkingMemory,
  type WorkingMemoryBackend,
} from '../domain/working-memory';
import { GET_SCRIPT, PUT_SCRIPT } from './redis-script';

export interface RedisBackendOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// */
  url: string;
  ttlMs: number;
  now?: () => number;
  maxBytes?: number;
  /** Key prefix (default `aegis:memory:wm`); the key is `<prefix>:<tenant>:<conversation_id>`. */
  keyPrefix?: string;
  /** Longest one command may take before it fails (default 2000 ms). */
  commandTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
}

type ScriptedRedis = Redis & {
  wmPut(key: string, ...args: (string | number)[]): Promise<(string | number)[]>;
  wmGet(key: string, ttlMs: number): Promise<string[]>;
};

/** Pairs [name, json, name, json, ...] → the map. */
function mapOf(flat: readonly (string | number)[], from: number): FieldMap {
  const entries: [string, unknown][] = [];
  for (let i = from; i + 1 < flat.length; i += 2)
    entries.push([String(flat[i]), JSON.parse(String(flat[i + 1]))]);
  return Object.fromEntries(entries) as FieldMap;
}

/**
 * Working memory in Redis (REDIS_URL set): one hash per conversation at
 * `aegis:memory:wm:<tenant>:<conversation_id>` (the tenant is in the key; tenant names hold no `:`),
 * field → the value's JSON text, the TTL kept by Redis (PEXPIRE on every access). The merge, the
 * size check and the write are one Lua script (redis-script.ts), so concurrent PUTs never lose a
 * field and a refused PUT changes nothing.
 */
export function createRedisBackend(options: RedisBackendOptions): WorkingMemoryBackend {
  const now = options.now ?? Date.now;
  const maxBytes = options.maxBytes ?? WORKING_MEMORY_MAX_BYTES;
  const prefix = options.keyPrefix ?? 'aegis:memory:wm';
  const redis = new Redis(options.url, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2000,
  }) as ScriptedRedis;
  // A lost connection fails the commands of the requests it concerns (logged there, answered 503);
  // the client reconnects by itself.
  redis.on('error', (err: Error) =>
    options.logger?.debug({ err: err.message }, 'Working-memory Redis connection failed'),
  );
  redis.defineCommand('wmPut', { numberOfKeys: 1, lua: PUT_SCRIPT });
  redis.defineCommand('wmGet', { numberOfKeys: 1, lua: GET_SCRIPT });
  const key = (tenant: string, conversationId: string) => `${prefix}:${tenant}:${conversationId}`;
  const memoryOf = (conversationId: string, fields: FieldMap, size: number): WorkingMemory => ({
    conversation_id: conversationId,
    fields,
    size_bytes: size,
    expires_at: new Date(now() + options.ttlMs).toISOString(),
  });

  /** Redis failing (down, timing out) is a 503 for the request, in the error shape, without internals. */
  const guarded = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      options.logger?.warn({ err: (err as Error).message, what }, 'Working-memory Redis command failed');
      throw new ServiceUnavailableError('Working memory is unavailable', 'working_memory_unavailable');
    }
  };

  return {
    kind: 'redis',

    async get(tenant, conversationId) {
      const flat = await guarded('get', () => redis.wmGet(key(tenant, conversationId), options.ttlMs));
      if (flat.length === 0) return undefined;
      const fields = mapOf(flat, 0);
      return memoryOf(conversationId, fields, serializedBytes(fields));
    },

    async put(tenant, conversationId, patch): Promise<PutOutcome> {
      const args: string[] = [];
      for (const [name, value] of Object.entries(patch))
        args.push(name, value === null ? '' : JSON.stringify(value));
      const reply = await guarded('put', () =>
        redis.wmPut(key(tenant, conversationId), options.ttlMs, maxBytes, ...args),
      );
      const size = Number(reply[1]);
      if (Number(reply[0]) === 0) return { ok: false, sizeBytes: size };
      if (reply.length === 2) return { ok: true, memory: undefined };
      return { ok: true, memory: memoryOf(conversationId, mapOf(reply, 2), size) };
    },

    async delete(tenant, conversationId) {
      return (await guarded('delete', () => redis.del(key(tenant, conversationId)))) > 0;
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
