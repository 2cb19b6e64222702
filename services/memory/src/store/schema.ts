import type { Queryable, Store } from '@aegis/common';

/** A conversation's working memory in the embedded backend (REDIS_URL unset): the field map as JSON
 * text, its size by the cap's measure, and when it expires (RFC 3339 UTC text, so it compares as
 * text on both stores). Expired rows are invisible and purged. */
export interface WorkingMemoryTable {
  tenant_id: string;
  conversation_id: string;
  fields: string;
  size_bytes: number;
  expires_at: string;
  updated_at: string;
}

/** One episode: a conversation's summary with its metadata. `tags` is a JSON list of strings;
 * `embedding` the JSON list of numbers the embeddings endpoint gave the summary (null without one),
 * with the model that made it. On PostgreSQL the table also has a generated `search` tsvector. */
export interface EpisodesTable {
  episode_id: string;
  tenant_id: string;
  conversation_id: string;
  agent_id: string | null;
  user_id: string | null;
  summary: string;
  tags: string;
  created_at: string;
  stored_at: string;
  embedding: string | null;
  embedding_model: string | null;
}

/** SQLite only: the FTS5 index of the summaries, written with each episode in one transaction. */
export interface EpisodesFtsTable {
  episode_id: string;
  tenant_id: string;
  summary: string;
}

/** The injection ledger: a skill injected into a conversation, once (the primary key). */
export interface SkillInjectionsTable {
  tenant_id: string;
  conversation_id: string;
  skill_id: string;
  injected_at: string;
}

export interface MemoryDatabase {
  working_memory: WorkingMemoryTable;
  episodes: EpisodesTable;
  episodes_fts: EpisodesFtsTable;
  skill_injections: SkillInjectionsTable;
}

/** The memory store or one of its transactions. */
export type MemoryDb = Queryable<MemoryDatabase>;
export type MemoryStore = Store<MemoryDatabase>;
