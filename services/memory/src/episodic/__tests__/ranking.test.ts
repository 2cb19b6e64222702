import { createLogger, openStore } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { MEMORY_MIGRATIONS } from '../../store/migrations';
import type { MemoryStore } from '../../store/schema';
import { searchEpisodes, storeEpisode, type EpisodicDeps } from '../episodes';
import { CORPUS, QUERIES } from './corpus';

describeOnBothStores('episodic search, full-text ranking on a fixed corpus', 'memory.db', (url) => {
  let store: MemoryStore;
  let deps: EpisodicDeps;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    store = await openStore({ url: url() });
    await store.migrate('memory', MEMORY_MIGRATIONS);
    deps = { store, logger: createLogger({ service: 'memory-test', level: 'silent' }), now: Date.now };
    for (const doc of CORPUS) {
      const e = await storeEpisode(deps, 'default', {
        summary: doc.summary,
        metadata: { conversation_id: `c-${doc.key}`, agent_id: doc.agent_id, user_id: 'u-1' },
      });
      ids.set(e.episode_id, doc.key);
    }
    // Another tenant's copy of the whole corpus: never in the default tenant's results.
    for (const doc of CORPUS)
      await storeEpisode(deps, 'acme', {
        summary: doc.summary,
        metadata: { conversation_id: `acme-${doc.key}` },
      });
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(QUERIES)('puts the relevant document first for "$query"', async ({ query, first }) => {
    const found = await searchEpisodes(deps, 'default', query, {}, 10);
    expect(found.ranking).toBe(store.dialect === 'sqlite' ? 'bm25' : 'ts_rank_cd');
    expect(found.results.map((r) => ids.get(r.episode.episode_id))[0]).toBe(first);
    expect(found.results.every((r) => ids.has(r.episode.episode_id))).toBe(true);
    const scores = found.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('matches stemmed forms (flare ~ flaring) and leaves unrelated documents out', async () => {
    const found = await searchEpisodes(deps, 'default', 'flaring', {}, 10);
    expect(found.results.map((r) => ids.get(r.episode.episode_id)).sort()).toEqual(['emissions', 'r32']);
  });

  it('filters by agent and user, and limits', async () => {
    const found = await searchEpisodes(deps, 'default', 'well lease rules', { agent_id: 'permit-agent' }, 10);
    expect(new Set(found.results.map((r) => ids.get(r.episode.episode_id)))).toEqual(
      new Set(['w1', 'spacing']),
    );
    expect((await searchEpisodes(deps, 'default', 'well', { user_id: 'nobody' }, 10)).results).toEqual([]);
    expect((await searchEpisodes(deps, 'default', 'lease', {}, 10)).results).toHaveLength(2);
    expect((await searchEpisodes(deps, 'default', 'lease', {}, 1)).results).toHaveLength(1);
  });

  it('treats query syntax as words: quotes, operators and stop-words only find nothing harmful', async () => {
    for (const q of [
      '"',
      'AND OR NOT',
      'flaring" OR "x',
      '*',
      'NEAR(a b)',
      "'; DROP TABLE episodes; --",
      '|&!',
    ])
      await expect(searchEpisodes(deps, 'default', q, {}, 10)).resolves.toMatchObject({
        results: expect.any(Array),
      });
    const quoted = await searchEpisodes(deps, 'default', 'authorisation" OR "flaring', {}, 10);
    expect(ids.get(quoted.results[0].episode.episode_id)).toBe('r32');
  });
});
