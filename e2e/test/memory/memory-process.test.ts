import os from 'node:os';
import Redis from 'ioredis';
import { createMemoryClient } from '@aegis/memory';
import { describeWithRedis } from '@aegis/testing';
import { startMemoryPlatform, type MemoryPlatform } from './platform';

/** The memory service's acceptance, on processes as `npm start` runs them: the auth
 * service and the memory service (internal: called directly on its port, never through the gateway),
 * with the local admin's token and with a client-credentials service token (ADR 0019). */

async function call(base: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are checked by the assertions
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

/** The acceptance steps against one running memory process. */
function acceptance(ctx: () => MemoryPlatform): void {
  it('PUT then GET returns the merged map (local admin token)', async () => {
    const { memoryUrl, admin } = ctx();
    expect(
      (await call(memoryUrl, 'PUT', '/working-memory/conv-1', admin, { fields: { a: 1, b: 'x' } })).status,
    ).toBe(200);
    await call(memoryUrl, 'PUT', '/working-memory/conv-1', admin, { fields: { b: null, c: [1, 2] } });
    const got = await call(memoryUrl, 'GET', '/working-memory/conv-1', admin);
    expect(got.status).toBe(200);
    expect(got.body?.fields).toEqual({ a: 1, c: [1, 2] });
  });

  it('a 65 KB PUT answers 413 in the error shape and changes nothing', async () => {
    const { memoryUrl, admin } = ctx();
    const res = await call(memoryUrl, 'PUT', '/working-memory/conv-1', admin, {
      fields: { pad: 'x'.repeat(65 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      code: 'working_memory_too_large',
      detail: expect.stringContaining('65536'),
      request_id: expect.any(String),
    });
    expect((await call(memoryUrl, 'GET', '/working-memory/conv-1', admin)).body?.fields).toEqual({
      a: 1,
      c: [1, 2],
    });
  });

  it('a service token from the client-credentials grant works, on the tenant it names', async () => {
    const { memoryUrl, service } = ctx();
    const client = createMemoryClient({ baseUrl: memoryUrl });
    const caller = await service.caller('acme');
    await client.putWorkingMemory(caller, 'conv-1', { tenant: 'acme' });
    expect((await client.getWorkingMemory(caller, 'conv-1'))?.fields).toEqual({ tenant: 'acme' });
    const mark = await client.markSkills(caller, 'conv-1', ['r32-filing']);
    expect(mark.newly_marked).toEqual(['r32-filing']);
    expect((await client.markSkills(caller, 'conv-1', ['r32-filing'])).already_marked).toEqual([
      'r32-filing',
    ]);
    const stored = await client.storeEpisode(caller, {
      summary: 'Prepared the R-32 filing for the flare at pad 7.',
      metadata: { conversation_id: 'conv-1', agent_id: 'flaring-agent' },
    });
    const found = await client.searchEpisodes(caller, { query: 'R-32 flare filing' });
    expect(found.data[0].episode_id).toBe(stored.episode_id);
  });

  it('answers 401 without a token', async () => {
    const res = await fetch(`${ctx().memoryUrl}/working-memory/conv-1`);
    expect(res.status).toBe(401);
  });
}

/** The platform for one suite, started in `beforeAll`, stopped in `afterAll`. */
function usePlatform(memoryEnv: () => Record<string, string>): () => MemoryPlatform {
  let platform: MemoryPlatform | undefined;
  beforeAll(async () => {
    platform = await startMemoryPlatform(memoryEnv());
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });
  return () => platform!;
}

describe('the memory service as a process (embedded store)', () => {
  const ctx = usePlatform(() => ({}));
  acceptance(ctx);

  it('listens on loopback only by default', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      process.stdout.write(
        'memory-process: no non-loopback IPv4 interface here; loopback-only check skipped\n',
      );
      return;
    }
    const port = new URL(ctx().memoryUrl).port;
    await expect(fetch(`http://${external.address}:${port}/health`)).rejects.toThrow();
    expect((await fetch(`${ctx().memoryUrl}/health`)).status).toBe(200);
  });
});

describeWithRedis('the memory service as a process (working memory in Redis)', (redis) => {
  const ctx = usePlatform(() => ({ REDIS_URL: redis().url }));
  acceptance(ctx);

  it('keeps each conversation in one Redis hash, the tenant in its key, with a 24 h TTL', async () => {
    const r = new Redis(redis().url);
    try {
      expect((await r.keys('aegis:memory:wm:*')).sort()).toEqual([
        'aegis:memory:wm:acme:conv-1',
        'aegis:memory:wm:default:conv-1',
      ]);
      expect(await r.hgetall('aegis:memory:wm:default:conv-1')).toEqual({ a: '1', c: '[1,2]' });
      const ttl = await r.pttl('aegis:memory:wm:default:conv-1');
      expect(ttl).toBeGreaterThan(23 * 3600_000);
      expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    } finally {
      r.disconnect();
    }
  });

  it('answers 503 in the error shape while Redis is down', async () => {
    const { memoryUrl, admin } = ctx();
    await redis().kill();
    try {
      const res = await call(memoryUrl, 'PUT', '/working-memory/conv-2', admin, { fields: { a: 1 } });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        code: 'working_memory_unavailable',
        detail: 'Working memory is unavailable',
        request_id: expect.any(String),
      });
    } finally {
      await redis().restart();
    }
  });
});
