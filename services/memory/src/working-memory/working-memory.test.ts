import { openStore } from '@aegis/common';
import fc from 'fast-check';
import { serializedBytes, type FieldMap } from '../domain/working-memory';
import { describeOnBothStores, describeWithRedis, waitFor } from '@aegis/testing';
import { MEMORY_MIGRATIONS } from '../store/migrations';
import type { MemoryStore } from '../store/schema';
import { workingMemoryContract, type ContractTarget } from './__tests__/contract';
import { createRedisBackend } from './redis-backend';
import { createStoreBackend } from './store-backend';

const DAY_MS = 24 * 60 * 60 * 1000;

describeOnBothStores('working memory in the store (injected clock, 24 h TTL)', 'memory.db', (url) => {
  let store: MemoryStore;
  let clock = Date.parse('2026-06-01T00:00:00Z');
  let backend: ReturnType<typeof createStoreBackend>;

  beforeAll(async () => {
    store = await openStore({ url: url() });
    await store.migrate('memory', MEMORY_MIGRATIONS);
    backend = createStoreBackend({ store, ttlMs: DAY_MS, now: () => clock });
  });
  afterAll(async () => {
    await store.close();
  });

  workingMemoryContract((): ContractTarget => ({
    backend,
    ttlMs: DAY_MS,
    advance: async (ms) => {
      clock += ms;
    },
  }));

  it('purges expired rows from the table', async () => {
    await backend.put('default', 'purge-me', { a: 1 });
    clock += DAY_MS + 1;
    expect(await backend.purgeExpired()).toBeGreaterThanOrEqual(1);
    const rows = await store.db
      .selectFrom('working_memory')
      .select('conversation_id')
      .where('tenant_id', '=', 'default')
      .where('conversation_id', '=', 'purge-me')
      .execute();
    expect(rows).toEqual([]);
  });
});

describeWithRedis('working memory in Redis (1.5 s TTL, real time)', (redis) => {
  const ttlMs = 1500;
  let backend: ReturnType<typeof createRedisBackend>;

  beforeAll(() => {
    backend = createRedisBackend({ url: redis().url, ttlMs });
  });
  afterAll(async () => {
    await backend.close();
  });

  workingMemoryContract((): ContractTarget => ({
    backend,
    ttlMs,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }));

  it('measures any map exactly as serializedBytes does (property: arbitrary Unicode names and values)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          // ASCII with every control character, and any Unicode grapheme (lone surrogates never get
          // here: the body parser refuses them).
          fc.oneof(
            fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }),
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
          ),
          fc.jsonValue({ maxDepth: 2 }),
          {
            minKeys: 1,
            maxKeys: 8,
          },
        ),
        async (patch) => {
          const fields = JSON.parse(JSON.stringify(patch)) as FieldMap; // what a JSON body parses to
          for (const name of Object.keys(fields)) if (fields[name] === null) delete fields[name];
          const id = `prop-${(n += 1)}`;
          const out = await backend.put('default', id, fields);
          if (Object.keys(fields).length === 0) return;
          expect(out.ok && out.memory?.size_bytes).toBe(serializedBytes(fields));
          expect((await backend.get('default', id))?.fields).toEqual(fields);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers 503 working_memory_unavailable while Redis is down, and works again once it is back', async () => {
    await redis().kill();
    try {
      await expect(backend.get('default', 'down')).rejects.toMatchObject({
        status: 503,
        code: 'working_memory_unavailable',
      });
      await expect(backend.put('default', 'down', { a: 1 })).rejects.toMatchObject({ status: 503 });
    } finally {
      await redis().restart();
    }
    await waitFor(
      'Redis to answer again',
      async () => (await backend.put('default', 'up', { a: 1 })).ok,
      10_000,
    );
    expect((await backend.get('default', 'up'))?.fields).toEqual({ a: 1 });
  });
});
