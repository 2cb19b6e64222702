import { openStore } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { injectedAmong, listInjections, markInjected } from '../ledger';
import { MEMORY_MIGRATIONS } from '../migrations';
import type { MemoryStore } from '../schema';

const page = { limit: 50, offset: 0, sortBy: 'injected_at' as const, sortDir: 'asc' as const };

describeOnBothStores('injection ledger store', 'memory.db', (url) => {
  let store: MemoryStore;

  beforeAll(async () => {
    store = await openStore({ url: url() });
    await store.migrate('memory', MEMORY_MIGRATIONS);
  });
  afterAll(async () => {
    await store.close();
  });

  it('records a skill once per conversation and tenant', async () => {
    const at = '2026-06-01T00:00:00.000Z';
    expect([...(await markInjected(store, 'default', 'c1', ['a', 'b'], at))].sort()).toEqual(['a', 'b']);
    expect([...(await markInjected(store, 'default', 'c1', ['b', 'c'], at))]).toEqual(['c']);
    expect([...(await markInjected(store, 'default', 'c2', ['a'], at))]).toEqual(['a']);
    expect([...(await markInjected(store, 'acme', 'c1', ['a'], at))]).toEqual(['a']);
    expect([...(await injectedAmong(store, 'default', 'c1', ['a', 'x', 'c']))].sort()).toEqual(['a', 'c']);
    expect(await injectedAmong(store, 'default', 'c1', [])).toEqual(new Set());
    const { rows, total } = await listInjections(store, 'default', 'c1', page);
    expect(total).toBe(3);
    expect(rows.map((r) => r.skill_id)).toEqual(['a', 'b', 'c']);
  });

  it('gives a skill marked by concurrent callers to exactly one of them', async () => {
    const at = '2026-06-01T00:00:00.000Z';
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => markInjected(store, 'default', 'race', ['s', `own-${i}`], at)),
    );
    expect(results.filter((r) => r.has('s'))).toHaveLength(1);
    expect(results.every((r, i) => r.has(`own-${i}`))).toBe(true);
  });
});
