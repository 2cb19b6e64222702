import type { ServiceApi } from '@aegis/common';
import { searchEpisodes, storeEpisode } from '../episodic/episodes';
import { listConversationEpisodes } from '../store/episodes';
import type { RouteDeps } from './context';
import { conversationListRoute } from './conversation-list';
import { episode, episodeInput, episodeSearch, episodeSearchResult } from './schemas';

/** POST /episodic/store, POST /episodic/search, GET /episodic/{conversation_id} (spec §8 memory). */
export function episodicRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['episodic'] });

  routes.route({
    method: 'post',
    path: '/episodic/store',
    summary: "Store an episode: a conversation's summary with its metadata",
    description:
      'With an embeddings endpoint configured the summary is embedded too; that endpoint failing answers 502 `embeddings_unavailable` and stores nothing.',
    roles: ['operator'],
    body: episodeInput,
    responses: { 201: episode },
    errors: [502],
    handler: async (_ctx, { body, tenant }) => storeEpisode(deps, tenant, body),
  });

  routes.route({
    method: 'post',
    path: '/episodic/search',
    summary: 'Episodes ranked by similarity to a query',
    description:
      "Full-text ranking by default (`bm25` over an FTS5 index on SQLite, `ts_rank_cd` over a tsvector on PostgreSQL; an episode matches when it has any of the query's words); `embedding_cosine` when an embeddings endpoint is configured (falling back to full text when it fails). `ranking` names the method used.",
    roles: 'any',
    body: episodeSearch,
    responses: { 200: episodeSearchResult },
    handler: async (_ctx, { body, tenant }) => {
      const { agent_id, user_id } = body;
      const found = await searchEpisodes(deps, tenant, body.query, { agent_id, user_id }, body.limit);
      return { ranking: found.ranking, data: found.results.map((r) => ({ ...r.episode, score: r.score })) };
    },
  });

  conversationListRoute(routes, deps.store, {
    prefix: '/episodic',
    summary: "A conversation's episodes",
    item: episode,
    listOptions: { sortable: ['created_at', 'stored_at'], defaultSort: 'created_at' },
    list: listConversationEpisodes,
  });
}
