import { sweeperMigrations, type Migration } from '@aegis/common';

/** The approvals tables (SQL both SQLite and PostgreSQL accept), then the shared sweeper lease. */
export const APPROVALS_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_approvals',
    up: `
      CREATE TABLE approvals (
        approval_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        run_id TEXT,
        agent_type TEXT NOT NULL,
        checkpoint_type TEXT NOT NULL,
        status TEXT NOT NULL,
        reviewer_strategy TEXT NOT NULL,
        reviewer_id TEXT,
        requested_by TEXT NOT NULL,
        on_behalf_of TEXT,
        payload TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        snapshot_digest TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        notes TEXT,
        modifications TEXT,
        effective_action TEXT,
        escalation_level INTEGER NOT NULL DEFAULT 0,
        escalated_at TEXT,
        assigned_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX approvals_tenant_created ON approvals (tenant_id, created_at);
      CREATE INDEX approvals_tenant_status ON approvals (tenant_id, status, assigned_at);
      CREATE INDEX approvals_tenant_reviewer ON approvals (tenant_id, reviewer_id, created_at);
      CREATE TABLE approval_votes (
        tenant_id TEXT NOT NULL,
        approval_id TEXT NOT NULL,
        reviewer_id TEXT NOT NULL,
        decision TEXT NOT NULL,
        notes TEXT,
        modifications TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, approval_id, reviewer_id)
      );
      CREATE TABLE audit_heads (
        tenant_id TEXT PRIMARY KEY,
        audit_seq INTEGER NOT NULL,
        audit_mac TEXT NOT NULL,
        outbox_seq INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit_entries (
        tenant_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        approval_id TEXT,
        action TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        key_id TEXT NOT NULL,
        prev_mac TEXT NOT NULL,
        mac TEXT NOT NULL,
        PRIMARY KEY (tenant_id, seq)
      );
      CREATE INDEX audit_entries_approval ON audit_entries (tenant_id, approval_id, seq);
      CREATE TABLE approval_outbox (
        tenant_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        approval_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, seq)
      );
      CREATE TABLE approval_settings (
        tenant_id TEXT PRIMARY KEY,
        escalation_timeout_hours INTEGER,
        escalation_reviewer_id TEXT,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit_keys (
        key_id TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  ...sweeperMigrations,
];
