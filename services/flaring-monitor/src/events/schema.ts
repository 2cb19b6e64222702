import type { AlertColumns, Generated, Queryable, Store } from '@aegis/common';

/** The tables of operational events, event types, the stream log and alerts (migrations.ts creates
 * them). The service's `store/schema.ts` database interface extends `EventsDatabase`. JSON columns
 * are text; times are ISO-8601 UTC text. */
export interface EventTypesTable {
  type_id: string;
  tenant_id: string;
  type_key: string;
  name: string;
  description: string | null;
  status: 'draft' | 'active' | 'deprecated';
  /** JSON list of field definitions, in position order. */
  fields: string;
  /** Bumped on every write; a write names the version it read (optimistic concurrency). */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface OpEventsTable {
  event_id: string;
  tenant_id: string;
  event_type: string;
  entity_label: string | null;
  entity_id: string | null;
  occurred_at: string;
  /** JSON object validated against the type's fields. */
  data: string;
  idempotency_key: string | null;
  content_hash: string;
  /** JSON list of event ids. */
  correlated: string;
  status: 'open' | 'reviewed' | 'closed';
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Append-only: every row is one server-sent event of one tenant; `seq` is its SSE `id:`. */
export interface StreamLogTable {
  seq: Generated<number>;
  tenant_id: string;
  event_type: string;
  /** JSON object, the event's `data:` (without `event_type`, which the writer adds). */
  data: string;
  created_at: string;
}

/** The monitors' shared alert columns (`alertsTableSql`). */
export type AlertsTable = AlertColumns;

export interface EventsDatabase {
  event_types: EventTypesTable;
  op_events: OpEventsTable;
  stream_log: StreamLogTable;
  alerts: AlertsTable;
}

export type EventsDb = Queryable<EventsDatabase>;
export type EventsStore = Store<EventsDatabase>;

/** A store or transaction whose database has these tables among others (the service's own
 * `FlaringDb`, which Kysely's invariant types do not let pass as an `EventsDb`). */
export const eventsDb = (q: Queryable): EventsDb => q;
