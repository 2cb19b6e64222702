import type { Migration } from '@aegis/common';

/** The orchestration tables (SQL both SQLite and PostgreSQL accept); the service's whole list, with the
 * modules' tables and the sweeper lease, is `SERVICE_MIGRATIONS` (`../migrations.ts`). */
export const ORCHESTRATION_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_conversations_runs',
    up: `
      CREATE TABLE conversations (
        conversation_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        agent_type TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX conversations_tenant_created ON conversations (tenant_id, created_at);
      CREATE TABLE messages (
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        run_id TEXT,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, conversation_id, seq)
      );
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        agent_type TEXT NOT NULL,
        agent_version INTEGER NOT NULL,
        planner TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_message TEXT NOT NULL,
        request_context TEXT,
        status TEXT NOT NULL,
        response TEXT,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        cost_usd DOUBLE PRECISION NOT NULL,
        tools_called TEXT NOT NULL,
        skills_injected TEXT NOT NULL,
        approval_id TEXT,
        pending TEXT,
        error_code TEXT,
        error_message TEXT,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX runs_tenant_conversation ON runs (tenant_id, conversation_id, created_at);
      CREATE INDEX runs_status ON runs (status, tenant_id);
      CREATE UNIQUE INDEX runs_one_active ON runs (tenant_id, conversation_id)
        WHERE status IN ('running', 'awaiting_approval');
      CREATE TABLE run_steps (
        tenant_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        node TEXT NOT NULL,
        status TEXT NOT NULL,
        input TEXT,
        output TEXT,
        model TEXT,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cost_usd DOUBLE PRECISION NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, run_id, seq)
      );
      CREATE TABLE tool_calls (
        tenant_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        call_id TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        arguments TEXT NOT NULL,
        status TEXT NOT NULL,
        result TEXT,
        error TEXT,
        approval_id TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        PRIMARY KEY (tenant_id, run_id, seq)
      );
      CREATE TABLE run_events (
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        run_id TEXT,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, conversation_id, seq)
      );
      CREATE TABLE daily_usage (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        day TEXT NOT NULL,
        tokens BIGINT NOT NULL,
        cost_usd DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (tenant_id, agent_id, day)
      );
      CREATE TABLE approval_cursors (
        tenant_id TEXT PRIMARY KEY,
        after_seq BIGINT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];
