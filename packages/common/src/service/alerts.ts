import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Queryable } from '../store/types';

/** Alert levels, most severe first (domain: CRITICAL, WARNING, INFO). */
export const ALERT_LEVELS = ['critical', 'warning', 'info'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** An alert as a monitor's rules produce it, before it is recorded: which rule, which entity, the
 * numbers that produced it, and the key that makes it the same alert on the next sweep. */
export interface AlertDraft {
  level: AlertLevel;
  code: string;
  rule: string;
  entity: { label: string; id: string };
  message: string;
  data: Record<string, unknown>;
  dedupe_key: string;
}

/** `AlertDraft` as a zod schema: what a monitor's API declares (its OpenAPI component) and what a
 * client of that API validates, one copy for both. */
export const alertDraftSchema = z.object({
  level: z.enum(ALERT_LEVELS),
  code: z.string(),
  rule: z.string(),
  entity: z.object({ label: z.string(), id: z.string() }),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  dedupe_key: z.string(),
});

/** A recorded alert, as the monitors' APIs and the event stream show it. */
export interface Alert extends AlertDraft {
  alert_id: string;
  tenant_id: string;
  source: string;
  created_at: string;
}

/** The columns every monitor's alert table has (it may have more, nullable or defaulted), with a
 * unique index on (tenant_id, dedupe_key). */
export interface AlertColumns {
  alert_id: string;
  tenant_id: string;
  source: string;
  level: string;
  code: string;
  rule: string;
  entity_label: string;
  entity_id: string;
  message: string;
  data: string;
  dedupe_key: string;
  created_at: string;
}

/**
 * The `CREATE TABLE` of a monitor's alert table: the columns of `AlertColumns` (SQL both SQLite and
 * PostgreSQL accept), then `extraColumns` (nullable or defaulted), and the (tenant_id, dedupe_key)
 * uniqueness `recordNewAlerts` relies on. Indexes stay the service's own.
 */
export function alertsTableSql(table: string, extraColumns: readonly string[] = []): string {
  const columns = [
    'alert_id TEXT NOT NULL PRIMARY KEY',
    'tenant_id TEXT NOT NULL',
    'source TEXT NOT NULL',
    'level TEXT NOT NULL',
    'code TEXT NOT NULL',
    'rule TEXT NOT NULL',
    'entity_label TEXT NOT NULL',
    'entity_id TEXT NOT NULL',
    'message TEXT NOT NULL',
    'data TEXT NOT NULL',
    'dedupe_key TEXT NOT NULL',
    'created_at TEXT NOT NULL',
    ...extraColumns,
    'UNIQUE (tenant_id, dedupe_key)',
  ];
  return `CREATE TABLE ${table} (\n  ${columns.join(',\n  ')}\n);`;
}

export function alertFromRow(r: AlertColumns): Alert {
  return {
    alert_id: r.alert_id,
    tenant_id: r.tenant_id,
    source: r.source,
    level: r.level as AlertLevel,
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
 * Records the drafts the tenant has not recorded yet in `table` (`ON CONFLICT (tenant_id, dedupe_key)
 * DO NOTHING`) and returns only the ones this call inserted, in order, so two sweeps racing on any
 * replica record each alert once and publish it once between them. `onInserted` runs right after each
 * insert, on the same handle (e.g. to append the alert to an event log in the same transaction).
 */
export async function recordNewAlerts(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's store; only `table` is used
  q: Queryable<any>,
  table: string,
  at: { tenant: string; source: string; now: string },
  drafts: readonly AlertDraft[],
  onInserted?: (alert: Alert) => Promise<void>,
): Promise<Alert[]> {
  const db = q.db as unknown as Kysely<Record<string, AlertColumns>>;
  const inserted: Alert[] = [];
  for (const d of drafts) {
    const alert: Alert = {
      ...d,
      alert_id: `alr-${randomUUID()}`,
      tenant_id: at.tenant,
      source: at.source,
      created_at: at.now,
    };
    const row = await db
      .insertInto(table)
      .values({
        alert_id: alert.alert_id,
        tenant_id: at.tenant,
        source: at.source,
        level: d.level,
        code: d.code,
        rule: d.rule,
        entity_label: d.entity.label,
        entity_id: d.entity.id,
        message: d.message,
        data: JSON.stringify(d.data),
        dedupe_key: d.dedupe_key,
        created_at: at.now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
      .returning('alert_id')
      .executeTakeFirst();
    if (!row) continue;
    inserted.push(alert);
    if (onInserted) await onInserted(alert);
  }
  return inserted;
}
