import { alertsTableSql, sweeperMigrations, type Migration } from '@aegis/common';

/** The compliance monitor's schema: the alerts its sweep recorded, deduplicated per tenant by key. */
export const COMPLIANCE_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_compliance_alerts',
    up: `
      ${alertsTableSql('compliance_alerts', ['published_at TEXT'])}
      CREATE INDEX compliance_alerts_tenant_created ON compliance_alerts (tenant_id, created_at);
      CREATE INDEX compliance_alerts_unpublished ON compliance_alerts (published_at, created_at);
    `,
  },
  // The sweeper lease (one replica sweeps at a time).
  ...sweeperMigrations,
];
