import type { Migration } from '@aegis/common';

/** The checklist tables (SQL both SQLite and PostgreSQL accept). Ids are prefixed `checklists_` so
 * they can be concatenated with the orchestration's other migrations without colliding. */
export const CHECKLISTS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'checklists_0001_checklists',
    up: `
      CREATE TABLE checklists (
        checklist_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        template_id TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        form_type TEXT NOT NULL,
        agent_type TEXT NOT NULL,
        entity_label TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        title TEXT NOT NULL,
        notes TEXT,
        status TEXT NOT NULL,
        approval_id TEXT,
        rejection_reason TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_at TEXT,
        decided_at TEXT,
        version INTEGER NOT NULL
      );
      CREATE INDEX checklists_tenant_created ON checklists (tenant_id, created_at);
      CREATE INDEX checklists_tenant_entity ON checklists (tenant_id, entity_id);
      CREATE INDEX checklists_tenant_approval ON checklists (tenant_id, approval_id);
      CREATE TABLE checklist_items (
        tenant_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        item_index INTEGER NOT NULL,
        label TEXT NOT NULL,
        item_type TEXT NOT NULL,
        required INTEGER NOT NULL,
        tool_name TEXT,
        status TEXT NOT NULL,
        notes TEXT,
        exception_reason TEXT,
        updated_by TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, checklist_id, item_index)
      );
      CREATE TABLE checklist_exceptions (
        exception_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        item_index INTEGER,
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX checklist_exceptions_checklist ON checklist_exceptions (tenant_id, checklist_id, created_at);
      CREATE TABLE checklist_artifacts (
        artifact_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        item_index INTEGER NOT NULL,
        filename TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size_bytes BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        storage_key TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX checklist_artifacts_item ON checklist_artifacts (tenant_id, checklist_id, item_index, created_at);
    `,
  },
];
