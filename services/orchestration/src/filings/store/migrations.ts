import type { Migration } from '@aegis/common';

/** The filing tables (SQL both SQLite and PostgreSQL accept). Ids are prefixed `filings_` so they can be
 * concatenated with the orchestration's other migrations without colliding. One package per checklist
 * and approval (`filings_checklist_approval`): producing it again finds the first. */
export const FILINGS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'filings_0001_filings',
    up: `
      CREATE TABLE filings (
        filing_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        approval_id TEXT NOT NULL,
        form_type TEXT NOT NULL,
        entity_label TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        document TEXT NOT NULL,
        document_sha256 TEXT NOT NULL,
        document_bytes BIGINT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX filings_checklist_approval ON filings (tenant_id, checklist_id, approval_id);
      CREATE INDEX filings_tenant_created ON filings (tenant_id, created_at);
      CREATE INDEX filings_tenant_entity ON filings (tenant_id, entity_id);
      CREATE TABLE filing_events (
        tenant_id TEXT NOT NULL,
        filing_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        reason TEXT,
        at TEXT NOT NULL,
        audit_seq INTEGER,
        PRIMARY KEY (tenant_id, filing_id, seq)
      );
      CREATE INDEX filing_events_unaudited ON filing_events (tenant_id, audit_seq);
    `,
  },
];
