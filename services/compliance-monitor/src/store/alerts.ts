import { randomUUID } from 'node:crypto';
import { SOURCE, type AlertDraft, type Level } from '../domain/alerts';
import type { AlertsTable, ComplianceDb } from './schema';

/** A stored alert as the API and the event stream show it (PLAN11 contract 4). */
export interface Alert extends AlertDraft {
  alert_id: string;
  tenant_id: string;
  source: typeof SOURCE;
  created_at: string;
}

function toAlert(r: AlertsTable): Alert {
  return {
    alert_id: r.alert_id,
    tenant_id: r.tenant_id,
    source: SOURCE,
    level: r.level as Level,
    code: r.code,
    rule: r.rule,
    entity: { label: r.entity_label, id: r.entity_id },
    message: r.message,
    data: JSON.parse(r.data) as Record<string, unknown>,
    dedupe_key: r.dedupe_key,
    created_at: r.created_at,
  };
}

/**
 * Records the alerts not yet recorded for the tenant (`ON CONFLICT (tenant_id, dedupe_key) DO
 * NOTHING`) and returns only the ones this call inserted, so two sweeps (or replicas) racing on the
 * same alerts record each once and publish it once between them.
 */
export async function recordAlerts(
  db: ComplianceDb,
  tenant: string,
  drafts: readonly AlertDraft[],
  now: string,
): Promise<Alert[]> {
  const inserted: Alert[] = [];
  for (const d of drafts) {
    const row: AlertsTable = {
      alert_id: `alr-${randomUUID()}`,
      tenant_id: tenant,
      source: SOURCE,
      level: d.level,
      code: d.code,
      rule: d.rule,
      entity_label: d.entity.label,
      entity_id: d.entity.id,
      message: d.message,
      data: JSON.stringify(d.data),
      dedupe_key: d.dedupe_key,
      created_at: now,
      published_at: null,
    };
    const done = await db.db
      .insertInto('compliance_alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
      .returning('alert_id')
      .executeTakeFirst();
    if (done) inserted.push(toAlert(row));
  }
  return inserted;
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
