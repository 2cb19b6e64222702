import { listPage, sql, type PageParams } from '@aegis/common';
import { fts5Query, tsQuery } from '../domain/search-terms';
import type { EpisodesTable, MemoryDb, MemoryStore } from './schema';

/** An episode as the API shows it. */
export interface Episode {
  episode_id: string;
  summary: string;
  metadata: {
    conversation_id: string;
    agent_id: string | null;
    user_id: string | null;
    tags: string[];
    created_at: string;
  };
  stored_at: string;
}

export interface NewEpisode {
  episode_id: string;
  summary: string;
  conversation_id: string;
  agent_id: string | null;
  user_id: string | null;
  tags: string[];
  created_at: string;
  stored_at: string;
  embedding?: { model: string; vector: number[] };
}

/** The filters a search combines with AND. */
export interface EpisodeFilters {
  agent_id?: string;
  user_id?: string;
}

export type EpisodeSortColumn = 'created_at' | 'stored_at';

export type EpisodeRow = Pick<
  EpisodesTable,
  'episode_id' | 'summary' | 'conversation_id' | 'agent_id' | 'user_id' | 'tags' | 'created_at' | 'stored_at'
>;

const COLUMNS = [
  'episode_id',
  'summary',
  'conversation_id',
  'agent_id',
  'user_id',
  'tags',
  'created_at',
  'stored_at',
] as const;

export function episodeOf(r: EpisodeRow): Episode {
  return {
    episode_id: r.episode_id,
    summary: r.summary,
    metadata: {
      conversation_id: r.conversation_id,
      agent_id: r.agent_id,
      user_id: r.user_id,
      tags: JSON.parse(r.tags) as string[],
      created_at: r.created_at,
    },
    stored_at: r.stored_at,
  };
}

/** Stores an episode and, on SQLite, its full-text row, in one transaction (PostgreSQL's tsvector is
 * a generated column); with `pgvector`, its vector column too. */
export async function insertEpisode(
  store: MemoryStore,
  tenant: string,
  e: NewEpisode,
  pgvector = false,
): Promise<Episode> {
  const row = {
    episode_id: e.episode_id,
    tenant_id: tenant,
    conversation_id: e.conversation_id,
    agent_id: e.agent_id,
    user_id: e.user_id,
    summary: e.summary,
    tags: JSON.stringify(e.tags),
    created_at: e.created_at,
    stored_at: e.stored_at,
    embedding: e.embedding ? JSON.stringify(e.embedding.vector) : null,
    embedding_model: e.embedding?.model ?? null,
  };
  await store.transaction(async (tx) => {
    await tx.db.insertInto('episodes').values(row).execute();
    if (tx.dialect === 'sqlite')
      await tx.db
        .insertInto('episodes_fts')
        .values({ episode_id: e.episode_id, tenant_id: tenant, summary: e.summary })
        .execute();
    if (pgvector && e.embedding) await setEpisodeVector(tx, tenant, e.episode_id, e.embedding.vector);
  });
  return episodeOf(row);
}

/** One page of a conversation's episodes. */
export async function listConversationEpisodes(
  db: MemoryDb,
  tenant: string,
  conversationId: string,
  params: PageParams<EpisodeSortColumn>,
): Promise<{ rows: Episode[]; total: number }> {
  const query = db.db
    .selectFrom('episodes')
    .select(COLUMNS)
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'episode_id' });
  return { rows: rows.map(episodeOf), total };
}

export interface Scored {
  episode: Episode;
  score: number;
}

/** Sets a stored episode's pgvector column (enablePgvector added it), in the storing transaction. */
async function setEpisodeVector(
  tx: MemoryDb,
  tenant: string,
  episodeId: string,
  vector: number[],
): Promise<void> {
  await sql`UPDATE episodes SET embedding_vector = CAST(${JSON.stringify(vector)} AS vector)
    WHERE tenant_id = ${tenant} AND episode_id = ${episodeId}`.execute(tx.db);
}

/** The selected columns of an episode, for the raw queries (alias `e`). */
export const EPISODE_COLUMNS_SQL = sql.raw(COLUMNS.map((c) => `e.${c}`).join(', '));

export const filterSql = (f: EpisodeFilters) =>
  sql.join(
    [
      f.agent_id !== undefined ? sql`AND e.agent_id = ${f.agent_id}` : sql``,
      f.user_id !== undefined ? sql`AND e.user_id = ${f.user_id}` : sql``,
    ],
    sql` `,
  );

/**
 * Full-text search over the tenant's summaries, best first: SQLite FTS5 ranked with `bm25()` (its
 * score negated, so higher is better), PostgreSQL `ts_rank_cd` over the generated tsvector (GIN
 * index). `terms` are the query's words (searchTerms); an episode matches when it has any of them.
 */
export async function searchEpisodesFullText(
  db: MemoryDb,
  tenant: string,
  terms: readonly string[],
  filters: EpisodeFilters,
  limit: number,
): Promise<Scored[]> {
  if (terms.length === 0) return [];
  const rows =
    db.dialect === 'sqlite'
      ? await sql<EpisodeRow & { score: number }>`
          SELECT ${EPISODE_COLUMNS_SQL}, -bm25(episodes_fts) AS score
          FROM episodes_fts JOIN episodes e ON e.episode_id = episodes_fts.episode_id
          WHERE episodes_fts MATCH ${fts5Query(terms)} AND episodes_fts.tenant_id = ${tenant}
            AND e.tenant_id = ${tenant} ${filterSql(filters)}
          ORDER BY bm25(episodes_fts), e.created_at DESC, e.episode_id
          LIMIT ${limit}`.execute(db.db)
      : await sql<EpisodeRow & { score: number }>`
          SELECT ${EPISODE_COLUMNS_SQL}, ts_rank_cd(e.search, q) AS score
          FROM episodes e, to_tsquery('english', ${tsQuery(terms)}) q
          WHERE e.tenant_id = ${tenant} AND e.search @@ q ${filterSql(filters)}
          ORDER BY score DESC, e.created_at DESC, e.episode_id
          LIMIT ${limit}`.execute(db.db);
  return rows.rows.map((r) => ({ episode: episodeOf(r), score: Number(r.score) }));
}

/** The tenant's episodes with an embedding of `model` (and the filters), for ranking in process. */
export async function episodesWithEmbeddings(
  db: MemoryDb,
  tenant: string,
  model: string,
  filters: EpisodeFilters,
): Promise<{ episode: Episode; vector: number[] }[]> {
  let query = db.db
    .selectFrom('episodes')
    .select([...COLUMNS, 'embedding'])
    .where('tenant_id', '=', tenant)
    .where('embedding_model', '=', model);
  if (filters.agent_id !== undefined) query = query.where('agent_id', '=', filters.agent_id);
  if (filters.user_id !== undefined) query = query.where('user_id', '=', filters.user_id);
  const rows = await query.execute();
  return rows
    .filter((r) => r.embedding !== null)
    .map((r) => ({ episode: episodeOf(r), vector: JSON.parse(r.embedding!) as number[] }));
}
