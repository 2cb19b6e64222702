import { sql, type Migration } from '@aegis/common';

/** PostgreSQL-only schema changes of the knowledge graph (ADR 0031); on SQLite they do nothing. */

/**
 * A packed staging row is ~120 KB of JSON text (1,000 items), which PostgreSQL compresses on the way
 * into TOAST with its default, pglz: ~0.44 CPU-s per 100k `full` well rows, against ~0.10 s with lz4
 * (measured on the staged rows of such an upload; sizes 8.4 vs 10.7 MB, and the rows live only until
 * the commit). SET COMPRESSION applies to values written from now on, rewrites nothing and locks the
 * table only for the catalog change. A server built without lz4 keeps pglz: the staging works either
 * way, so the migration is skipped there instead of failing start-up.
 */
export const PG_IMPORT_PAYLOAD_LZ4: Migration = {
  id: '0004_pg_import_payload_lz4',
  up: async (tx) => {
    if (tx.dialect !== 'postgres') return;
    const { rows } = await sql<{ lz4: boolean }>`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings
WHERE name = 'default_toast_compression'`.execute(tx.db);
    if (rows[0]?.lz4)
      await sql`ALTER TABLE kg_import_items ALTER COLUMN payload SET COMPRESSION lz4`.execute(tx.db);
  },
};
