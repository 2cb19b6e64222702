import type { AlertColumns, Queryable, Store } from '@aegis/common';

/** One recorded alert, unique per (tenant_id, dedupe_key). `entity` and `data` are
 * JSON text; times are ISO-8601 UTC; `published_at` is set once the flaring monitor accepted it. */
export interface AlertsTable extends AlertColumns {
  published_at: string | null;
}

export interface ComplianceDatabase {
  compliance_alerts: AlertsTable;
}

export type ComplianceDb = Queryable<ComplianceDatabase>;
export type ComplianceStore = Store<ComplianceDatabase>;
