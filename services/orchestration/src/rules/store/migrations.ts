import type { Migration } from '@aegis/common';

/**
 * The rules library's tables. Ids start with `rules_` so the list can be appended to the service's
 * own migrations (ids must ascend: `0001_…` < `rules_0001_…`) or applied on its own under any
 * service name. SQL both SQLite and PostgreSQL accept; the partial unique index keeps at most one
 * active version per rule whatever a writer does.
 */
export const RULES_MIGRATIONS: readonly Migration[] = [
  {
    id: 'rules_0001_rules',
    up: `
      CREATE TABLE rules (
        tenant_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        rule_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        citation TEXT NOT NULL,
        agency TEXT NOT NULL,
        description TEXT NOT NULL,
        graph_label TEXT,
        graph_id TEXT,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        active_version INTEGER,
        latest_version INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, rule_id)
      );
      CREATE UNIQUE INDEX rules_tenant_key ON rules (tenant_id, rule_key);
      CREATE INDEX rules_tenant_status ON rules (tenant_id, status);
      CREATE TABLE rule_versions (
        tenant_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        parameters TEXT NOT NULL,
        note TEXT,
        effective_from TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        activated_at TEXT,
        activated_by TEXT,
        superseded_at TEXT,
        retired_at TEXT,
        retired_by TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, rule_id, version)
      );
      CREATE UNIQUE INDEX rule_versions_one_active ON rule_versions (tenant_id, rule_id) WHERE status = 'active';
    `,
  },
];
