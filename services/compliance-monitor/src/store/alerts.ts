import { alertFromRow, recordNewAlerts, type Alert as StoredAlert } from '@aegis/common';
import { SOURCE, type AlertDraft } from '../domain/alerts';
import type { ComplianceDb } from './schema';

/** A stored alert as the API and the event stream show it. */
export interface Alert extends StoredAlert {
  source: typeof SOURCE;
}

const toAlert = (r: Parameters<typeof alertFromRow>[0]) => alertFromRow(r) as Alert;

/**
 * Records the alerts not yet recorded for the tenant (`ON CONFLICT (tenant_id, dedupe_key) DO
 * NOTHING`) and returns only the ones this call inserted, so two sweeps (or replicas) racing on the
 * same alerts record each once and publish it once between them (`published_at` starts empty).
 */
export async function recordAlerts(
  db: ComplianceDb,
  tenant: string,
  drafts: readonly AlertDraft[],
  now: string,
): Promise<Alert[]> {
  return (await recordNewAlerts(db, 'compliance_alerts', { tenant, source: SOURCE, now }, drafts)) as Alert[];
}

/** Alerts of the tenant not yet accepted by the flaring monitor, oldest first. */
export async function unpublishedAlerts(db: ComplianceDb, tenant: string, limit = 500): Promise<Alert[]> {
  const rows = await db.db
    .selectFrom('compliance_alerts')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('published_at', 'is', null)
    .orderBy('created_at')
    .orderBy('alert_id')
    .limit(limit)
    .execute();
  return rows.map(toAlert);
}

export async function markPublished(
  db: ComplianceDb,
  tenant: string,
  alertId: string,
  now: string,
): Promise<void> {
  await db.db
    .updateTable('compliance_alerts')
    .set({ published_at: now })
    .where('tenant_id', '=', tenant)
    .where('alert_id', '=', alertId)
    .execute();
}

/** The tenant's recorded alerts, newest first. */
export async function listAlerts(db: ComplianceDb, tenant: string, limit = 1000): Promise<Alert[]> {
  const rows = await db.db
    .selectFrom('compliance_alerts')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .orderBy('created_at', 'desc')
    .orderBy('alert_id')
    .limit(limit)
    .execute();
  return rows.map(toAlert);
}
