import { sql, type Migration, type Queryable } from '@aegis/common';

/** Full-text search over the summaries differs per store: an FTS5 table (ranked with bm25()) on SQLite,
 * a generated tsvector column with a GIN index (ranked with ts_rank_cd) on PostgreSQL (ADR 0021). */
async function episodesSearchIndex(tx: Queryable): Promise<void> {
  if (tx.dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE episodes_fts USING fts5(
      episode_id UNINDEXED, tenant_id UNINDEXED, summary, tokenize = 'porter unicode61'
    )`.execute(tx.db);
  } else {
    await sql`ALTER TABLE episodes ADD COLUMN search tsvector
      GENERATED ALWAYS AS (to_tsvector('english', summary)) STORED`.execute(tx.db);
    await sql`CREATE INDEX episodes_search ON episodes USING GIN (search)`.execute(tx.db);
  }
}

/** Every migration of the memory service (SQL both SQLite and PostgreSQL accept, except the search
 * index). */
export const MEMORY_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_working_memory',
    up: `
      CREATE TABLE working_memory (
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        fields TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        expires_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, conversation_id)
      );
      CREATE INDEX working_memory_expires ON working_memory (expires_at);
    `,
  },
  {
    id: '0002_episodes',
    up: `
      CREATE TABLE episodes (
        episode_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        agent_id TEXT,
        user_id TEXT,
        summary TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        embedding TEXT,
        embedding_model TEXT
      );
      CREATE INDEX episodes_tenant_conversation ON episodes (tenant_id, conversation_id, created_at);
      CREATE INDEX episodes_tenant_agent ON episodes (tenant_id, agent_id);
      CREATE INDEX episodes_tenant_user ON episodes (tenant_id, user_id);
    `,
  },
  { id: '0003_episodes_search', up: episodesSearchIndex },
  {
    id: '0004_skill_injections',
    up: `
      CREATE TABLE skill_injections (
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        skill_id TEXT NOT NULL,
        injected_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, conversation_id, skill_id)
      );
    `,
  },
];
