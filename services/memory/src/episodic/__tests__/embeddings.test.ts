import { describeOnBothStores } from '@aegis/testing';
import { startHarness, type Harness } from '../../__tests__/harness';
import { createEmbedder } from '../../embeddings/client';
import { CORPUS } from './corpus';
import { startScriptedEmbeddings, type ScriptedEmbeddings } from './embeddings-server';

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
