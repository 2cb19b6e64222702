import { sql, type Logger } from '@aegis/common';
import type { EpisodeFilters, EpisodeRow, Scored } from './episodes';
import { EPISODE_COLUMNS_SQL, episodeOf, filterSql } from './episodes';
import type { MemoryDb, MemoryStore } from './schema';

/** Serialises the start-up step below across replicas (an arbitrary constant of this service). */
const PGVECTOR_LOCK_KEY = '7146093771840241021';

/**
 * With embeddings configured on PostgreSQL: when the server offers the pgvector extension, creates it,
 * adds the `embedding_vector vector` column to episodes and fills it from the stored JSON vectors
 * (both idempotent, so every start may run it), and answers true: searches then rank in the database.
 * False (searches rank in process) on SQLite, when the extension is not installed on the server, or
 * when the service may not create it (logged).
 */
export async function enablePgvector(
  store: MemoryStore,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<boolean> {
  if (store.dialect !== 'postgres') return false;
  try {
    const enabled = await store.transaction(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(CAST(${PGVECTOR_LOCK_KEY} AS bigint))`.execute(tx.db);
      const offered = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'vector'`.execute(tx.db);
      if (Number(offered.rows[0]?.n ?? 0) === 0) return false;
      await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(tx.db);
      await sql`ALTER TABLE episodes ADD COLUMN IF NOT EXISTS embedding_vector vector`.execute(tx.db);
      await sql`UPDATE episodes SET embedding_vector = CAST(embedding AS vector)
        WHERE embedding IS NOT NULL AND embedding_vector IS NULL`.execute(tx.db);
      return true;
    });
    logger.info(
      { pgvector: enabled },
      enabled ? 'Ranking embeddings with pgvector' : 'Ranking embeddings in process',
    );
    return enabled;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'Could not enable pgvector; ranking embeddings in process');
    return false;
  }
}

/** The tenant's episodes embedded with `model`, nearest to `vector` by cosine distance (pgvector's
 * `<=>`), best first; the score is the cosine similarity, 1 − distance. */
export async function searchEpisodesPgvector(
  db: MemoryDb,
  tenant: string,
  model: string,
  vector: number[],
  filters: EpisodeFilters,
  limit: number,
): Promise<Scored[]> {
  const q = JSON.stringify(vector);
  const rows = await sql<EpisodeRow & { score: number }>`
    SELECT ${EPISODE_COLUMNS_SQL}, 1 - (e.embedding_vector <=> CAST(${q} AS vector)) AS score
    FROM episodes e
    WHERE e.tenant_id = ${tenant} AND e.embedding_model = ${model} AND e.embedding_vector IS NOT NULL
      ${filterSql(filters)}
    ORDER BY e.embedding_vector <=> CAST(${q} AS vector), e.created_at DESC, e.episode_id
    LIMIT ${limit}`.execute(db.db);
  return rows.rows.map((r) => ({ episode: episodeOf(r), score: Number(r.score) }));
}
