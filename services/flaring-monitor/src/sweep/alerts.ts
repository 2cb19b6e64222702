import {
  alertFromRow,
  listPage,
  recordNewAlerts,
  type Alert,
  type AlertDraft,
  type PageParams,
} from '@aegis/common';
import type { AlertLevel } from '../domain/rule32';
import type { EventsDb } from '../events/schema';
import { appendStream } from '../stream/log';

/** Alerts of the flaring monitor, recorded once per tenant and dedupe key. */

export { ALERT_LEVELS, type Alert } from '@aegis/common';
export const ALERT_SOURCE = 'flaring-monitor';

/** An alert as an assessment produces it, before it is recorded (the domain's draft). */
export type NewAlert = AlertDraft;

/**
 * Inserts the alerts whose dedupe key the tenant has not recorded yet (`ON CONFLICT (tenant_id,
 * dedupe_key) DO NOTHING`, so two sweeps racing on any replica record each alert once) and appends
 * exactly the inserted ones to the stream as `alert` events. Call inside a transaction. Returns them.
 */
export function recordAlerts(
  db: EventsDb,
  tenant: string,
  alerts: readonly NewAlert[],
  now: string,
): Promise<Alert[]> {
  return recordNewAlerts(db, 'alerts', { tenant, source: ALERT_SOURCE, now }, alerts, (alert) =>
    appendStream(db, tenant, 'alert', { ...alert }, now),
  );
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
  return { rows: rows.map(alertFromRow), total };
}
