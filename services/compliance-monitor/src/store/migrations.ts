import { sweeperMigrations, type Migration } from '@aegis/common';

/** The compliance monitor's schema: the alerts its sweep recorded, deduplicated per tenant by key. */
export const COMPLIANCE_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_compliance_alerts',
    up: `
      CREATE TABLE compliance_alerts (
        alert_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        source TEXT NOT NULL,
        level TEXT NOT NULL,
        code TEXT NOT NULL,
        rule TEXT NOT NULL,
        entity_label TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT NOT NULL,
        dedupe_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        published_at TEXT,
        UNIQUE (tenant_id, dedupe_key)
      );
      CREATE INDEX compliance_alerts_tenant_created ON compliance_alerts (tenant_id, created_at);
      CREATE INDEX compliance_alerts_unpublished ON compliance_alerts (published_at, created_at);
    `,
  },
  // The sweeper lease (one replica sweeps at a time).
  ...sweeperMigrations,
];
