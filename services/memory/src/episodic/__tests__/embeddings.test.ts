import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '@aegis/common';
import { describeOnBothStores, describeWithPostgres } from '@aegis/testing';
import { startHarness, type Harness } from '../../__tests__/harness';
import { cosineSimilarity } from '../../domain/cosine';
import { createEmbedder } from '../../embeddings/client';
import { enablePgvector } from '../../store/pgvector';
import { CORPUS } from './corpus';
import { scriptedVector, startScriptedEmbeddings, type ScriptedEmbeddings } from './embeddings-server';

describeOnBothStores(
  'episodic search by embeddings (a scripted OpenAI-compatible endpoint)',
  'memory.db',
  (url) => {
    let embeddings: ScriptedEmbeddings;
    let h: Harness;

    beforeAll(async () => {
      embeddings = await startScriptedEmbeddings();
      h = await startHarness({
        url: url(),
        embedder: createEmbedder({
          url: embeddings.url,
          model: 'scripted-1',
          apiKey: 'sk-test',
          timeoutMs: 5000,
        }),
      });
      for (const doc of CORPUS) {
        const res = await h.call('POST', '/episodic/store', h.tokens.operator, {
          summary: doc.summary,
          metadata: { conversation_id: `c-${doc.key}`, agent_id: doc.agent_id },
        });
        expect(res.status).toBe(201);
      }
    });
    afterAll(async () => {
      await h.close();
      await embeddings.close();
    });

    it('embeds each stored summary with the configured model and key', () => {
      expect(embeddings.requests).toHaveLength(CORPUS.length);
      expect(embeddings.requests[0]).toEqual({
        authorization: 'Bearer sk-test',
        model: 'scripted-1',
        input: [CORPUS[0].summary],
      });
    });

    it('ranks by cosine similarity: a query sharing no word with the document still finds it first', async () => {
      const res = await h.call('POST', '/episodic/search', h.tokens.viewer, {
        query: 'gas burning approval',
      });
      expect(res.status).toBe(200);
      expect(res.body.ranking).toBe('embedding_cosine');
      expect(res.body.data[0].metadata.conversation_id).toBe('c-r32');
      expect(res.body.data[0].score).toBeGreaterThan(res.body.data[1].score);
      // Full text (the endpoint failing) only finds the one summary that has the word "gas".
      embeddings.fail(true);
      const fallback = await h.call('POST', '/episodic/search', h.tokens.viewer, {
        query: 'gas burning approval',
      });
      embeddings.fail(false);
      expect(fallback.body.ranking).toBe(h.store.dialect === 'sqlite' ? 'bm25' : 'ts_rank_cd');
      expect(
        fallback.body.data.map((d: { metadata: { conversation_id: string } }) => d.metadata.conversation_id),
      ).toEqual(['c-emissions']);
    });

    it('filters by agent and keeps tenants apart', async () => {
      const res = await h.call('POST', '/episodic/search', h.tokens.viewer, {
        query: 'flare',
        agent_id: 'permit-agent',
        limit: 5,
      });
      expect(res.body.data.map((d: { metadata: { agent_id: string } }) => d.metadata.agent_id)).toEqual([
        'permit-agent',
        'permit-agent',
      ]);
      const acme = await h.call('POST', '/episodic/search', h.tokens.acme, { query: 'flare' });
      expect(acme.body).toEqual({ ranking: 'embedding_cosine', data: [] });
    });

    it('answers 502 when the endpoint fails while storing, and stores nothing', async () => {
      embeddings.fail(true);
      const res = await h.call('POST', '/episodic/store', h.tokens.operator, {
        summary: 'Never stored.',
        metadata: { conversation_id: 'c-502' },
      });
      embeddings.fail(false);
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'embeddings_unavailable', request_id: expect.any(String) });
      expect((await h.call('GET', '/episodic/c-502', h.tokens.operator)).body.total).toBe(0);
    });
  },
);

/** pgvector is an optional extension of the PostgreSQL server: where the server offers it the search
 * ranks in the database (`pgvector_cosine`), elsewhere the same start-up step answers false and the
 * search ranks in process. The suite checks whichever applies here and says which. */
const PGVECTOR_OFFERED = fs
  .readdirSync('/usr/share/postgresql', { withFileTypes: true })
  .some(
    (d) =>
      d.isDirectory() &&
      fs.existsSync(path.join('/usr/share/postgresql', d.name, 'extension', 'vector.control')),
  );

describeWithPostgres('episodic search by embeddings with pgvector when the server offers it', (url) => {
  let embeddings: ScriptedEmbeddings;
  let h: Harness;
  let enabled: boolean;
  const logger = createLogger({ service: 'memory-test', level: 'silent' });

  beforeAll(async () => {
    if (!PGVECTOR_OFFERED)
      console.warn('pgvector is not installed here: checking the in-process fallback only');
    embeddings = await startScriptedEmbeddings();
    const embedder = createEmbedder({ url: embeddings.url, model: 'scripted-1', timeoutMs: 5000 });
    // One episode stored before pgvector is enabled: start-up fills its vector column.
    const early = await startHarness({ url: url(), embedder });
    await early.call('POST', '/episodic/store', early.tokens.operator, {
      summary: CORPUS[0].summary,
      metadata: { conversation_id: 'c-r32', agent_id: CORPUS[0].agent_id },
    });
    enabled = await enablePgvector(early.store, logger);
    await early.close();
    h = await startHarness({ url: url(), embedder, pgvector: enabled });
    for (const doc of CORPUS.slice(1))
      await h.call('POST', '/episodic/store', h.tokens.operator, {
        summary: doc.summary,
        metadata: { conversation_id: `c-${doc.key}`, agent_id: doc.agent_id },
      });
  });
  afterAll(async () => {
    await h?.close();
    await embeddings?.close();
  });

  it('is enabled exactly when the server offers the extension, and enabling again is harmless', async () => {
    expect(enabled).toBe(PGVECTOR_OFFERED);
    expect(await enablePgvector(h.store, logger)).toBe(PGVECTOR_OFFERED);
  });

  it('ranks by cosine similarity: the relevant document first, scores as in process', async () => {
    const res = await h.call('POST', '/episodic/search', h.tokens.viewer, { query: 'gas burning approval' });
    expect(res.body.ranking).toBe(PGVECTOR_OFFERED ? 'pgvector_cosine' : 'embedding_cosine');
    expect(res.body.data[0].metadata.conversation_id).toBe('c-r32');
    const query = scriptedVector('gas burning approval');
    for (const d of res.body.data as { summary: string; score: number }[])
      expect(d.score).toBeCloseTo(cosineSimilarity(query, scriptedVector(d.summary)), 5);
    const filtered = await h.call('POST', '/episodic/search', h.tokens.viewer, {
      query: 'flare',
      agent_id: 'permit-agent',
    });
    expect(filtered.body.data.map((d: { metadata: { agent_id: string } }) => d.metadata.agent_id)).toEqual([
      'permit-agent',
      'permit-agent',
    ]);
    expect((await h.call('POST', '/episodic/search', h.tokens.acme, { query: 'flare' })).body.data).toEqual(
      [],
    );
  });
});
