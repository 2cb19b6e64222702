import { randomUUID } from 'node:crypto';
import type { Logger } from '@aegis/common';
import { cosineSimilarity } from '../domain/cosine';
import { searchTerms } from '../domain/search-terms';
import type { Embedder } from '../embeddings/client';
import {
  episodesWithEmbeddings,
  insertEpisode,
  searchEpisodesFullText,
  type Episode,
  type EpisodeFilters,
  type Scored,
} from '../store/episodes';
import { searchEpisodesPgvector } from '../store/pgvector';
import type { MemoryStore } from '../store/schema';

/** How a search ranked its results, named in every answer (ADR 0021). */
export const RANKINGS = ['bm25', 'ts_rank_cd', 'embedding_cosine', 'pgvector_cosine'] as const;
export type Ranking = (typeof RANKINGS)[number];

export interface EpisodicDeps {
  store: MemoryStore;
  /** Present when EMBEDDINGS_URL is configured. */
  embedder?: Embedder;
  /** PostgreSQL with the pgvector column enabled (enablePgvector): rank embeddings in the database. */
  pgvector?: boolean;
  logger: Logger;
  now: () => number;
}

export interface EpisodeInput {
  summary: string;
  metadata: {
    conversation_id: string;
    agent_id?: string;
    user_id?: string;
    tags?: string[];
    created_at?: string;
  };
}

/** Stores an episode; with embeddings configured, its summary's vector too (the endpoint failing is a
 * 502 and nothing is stored, so every episode stored under a model can be found by vector). */
export async function storeEpisode(
  deps: EpisodicDeps,
  tenant: string,
  input: EpisodeInput,
): Promise<Episode> {
  const embedding = deps.embedder
    ? { model: deps.embedder.model, vector: (await deps.embedder.embed([input.summary]))[0] }
    : undefined;
  const storedAt = new Date(deps.now()).toISOString();
  const m = input.metadata;
  return insertEpisode(
    deps.store,
    tenant,
    {
      episode_id: `ep-${randomUUID()}`,
      summary: input.summary,
      conversation_id: m.conversation_id,
      agent_id: m.agent_id ?? null,
      user_id: m.user_id ?? null,
      tags: [...new Set(m.tags ?? [])],
      created_at: m.created_at ? new Date(m.created_at).toISOString() : storedAt,
      stored_at: storedAt,
      embedding,
    },
    deps.pgvector === true,
  );
}

export interface SearchResult {
  ranking: Ranking;
  results: Scored[];
}

/**
 * Episodes ranked by similarity to the query. With an embedder: cosine similarity of the query's
 * vector to the tenant's stored vectors of the same model, computed by pgvector in PostgreSQL when it
 * is enabled (`pgvector_cosine`), else in process (`embedding_cosine`); when the endpoint
 * fails the search falls back to the full-text ranking (logged) and says so in `ranking`. Without
 * one: the store's full-text ranking (bm25 on SQLite, ts_rank_cd on PostgreSQL).
 */
export async function searchEpisodes(
  deps: EpisodicDeps,
  tenant: string,
  query: string,
  filters: EpisodeFilters,
  limit: number,
): Promise<SearchResult> {
  if (deps.embedder) {
    try {
      const [vector] = await deps.embedder.embed([query]);
      if (deps.pgvector) {
        const model = deps.embedder.model;
        const results = await searchEpisodesPgvector(deps.store, tenant, model, vector, filters, limit);
        return { ranking: 'pgvector_cosine', results };
      }
      const candidates = await episodesWithEmbeddings(deps.store, tenant, deps.embedder.model, filters);
      const results = candidates
        .map((c) => ({ episode: c.episode, score: cosineSimilarity(vector, c.vector) }))
        .sort(
          (a, b) =>
            b.score - a.score || b.episode.metadata.created_at.localeCompare(a.episode.metadata.created_at),
        )
        .slice(0, limit);
      return { ranking: 'embedding_cosine', results };
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message, tenant }, 'Fell back to full-text search');
    }
  }
  const results = await searchEpisodesFullText(deps.store, tenant, searchTerms(query), filters, limit);
  return { ranking: deps.store.dialect === 'sqlite' ? 'bm25' : 'ts_rank_cd', results };
}
