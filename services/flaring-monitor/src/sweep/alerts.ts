import { randomUUID } from 'node:crypto';
import { listPage, type PageParams, type Selectable } from '@aegis/common';
import type { AlertDraft, AlertLevel } from '../domain/rule32';
import type { AlertsTable, EventsDb } from '../events/schema';
import { appendStream } from '../stream/log';

/** Alerts of the flaring monitor (contract 4), recorded once per tenant and dedupe key. */

export const ALERT_LEVELS = ['critical', 'warning', 'info'] as const satisfies readonly AlertLevel[];
export const ALERT_SOURCE = 'flaring-monitor';

/** An alert as an assessment produces it, before it is recorded (the domain's draft). */
export type NewAlert = AlertDraft;

export interface Alert extends NewAlert {
  alert_id: string;
  tenant_id: string;
  source: string;
  created_at: string;
}

function fromRow(r: Selectable<AlertsTable>): Alert {
  return {
    alert_id: r.alert_id,
    tenant_id: r.tenant_id,
    source: r.source,
    level: r.level,
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
 * Inserts the alerts whose dedupe key the tenant has not recorded yet (`ON CONFLICT (tenant_id,
 * dedupe_key) DO NOTHING`, so two sweeps racing on any replica record each alert once) and appends
 * exactly the inserted ones to the stream as `alert` events. Call inside a transaction. Returns them.
 */
export async function recordAlerts(
  db: EventsDb,
  tenant: string,
  alerts: readonly NewAlert[],
  now: string,
): Promise<Alert[]> {
  const inserted: Alert[] = [];
  for (const a of alerts) {
    const alert: Alert = {
      ...a,
      alert_id: `alr-${randomUUID()}`,
      tenant_id: tenant,
      source: ALERT_SOURCE,
      created_at: now,
    };
    const row = await db.db
      .insertInto('alerts')
      .values({
        alert_id: alert.alert_id,
        tenant_id: tenant,
        source: alert.source,
        level: alert.level,
        code: alert.code,
        rule: alert.rule,
        entity_label: alert.entity.label,
        entity_id: alert.entity.id,
        message: alert.message,
        data: JSON.stringify(alert.data),
        dedupe_key: alert.dedupe_key,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
      .returning('alert_id')
      .executeTakeFirst();
    if (!row) continue;
    inserted.push(alert);
    await appendStream(db, tenant, 'alert', { ...alert }, now);
  }
  return inserted;
}

export const ALERT_SORTABLE = ['created_at', 'level', 'code'] as const;

export async function listAlerts(
  { db }: EventsDb,
  tenant: string,
  filters: { level?: AlertLevel; code?: string; entity_id?: string; from?: string; to?: string },
  params: PageParams<(typeof ALERT_SORTABLE)[number]>,
): Promise<{ rows: Alert[]; total: number }> {
  let q = db.selectFrom('alerts').selectAll().where('tenant_id', '=', tenant);
  if (filters.level !== undefined) q = q.where('level', '=', filters.level);
  if (filters.code !== undefined) q = q.where('code', '=', filters.code);
  if (filters.entity_id !== undefined) q = q.where('entity_id', '=', filters.entity_id);
  if (filters.from !== undefined) q = q.where('created_at', '>=', filters.from);
  if (filters.to !== undefined) q = q.where('created_at', '<=', filters.to);
  const { rows, total } = await listPage(q, params, { tiebreaker: 'alert_id' });
  return { rows: rows.map(fromRow), total };
}
