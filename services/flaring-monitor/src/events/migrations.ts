import { alertsTableSql, sql, type Migration } from '@aegis/common';

/** Tables of operational events, event types, the stream log and alerts, portable across SQLite and
 * PostgreSQL. Ids start with `events_` so they sort after the service's own `0001_…` list and the
 * two lists concatenate. */
export const EVENTS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'events_0001_types_and_events',
    up: `
CREATE TABLE event_types (
  type_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  type_key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL,
  fields TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, type_key)
);
CREATE TABLE op_events (
  event_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  entity_label TEXT,
  entity_id TEXT,
  occurred_at TEXT NOT NULL,
  data TEXT NOT NULL,
  idempotency_key TEXT,
  content_hash TEXT NOT NULL,
  correlated TEXT NOT NULL,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX op_events_type ON op_events (tenant_id, event_type, occurred_at);
CREATE INDEX op_events_entity ON op_events (tenant_id, entity_id, occurred_at);
CREATE INDEX op_events_hash ON op_events (tenant_id, content_hash, created_at);
${alertsTableSql('alerts')}
CREATE INDEX alerts_created ON alerts (tenant_id, created_at);
`,
  },
  {
    // The one column type that differs: an auto-incrementing integer key (AUTOINCREMENT so SQLite
    // never reuses a seq a client may hold as its Last-Event-ID).
    id: 'events_0002_stream_log',
    up: async (tx) => {
      const key =
        tx.dialect === 'postgres'
          ? sql.raw('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY')
          : sql.raw('INTEGER PRIMARY KEY AUTOINCREMENT');
      await sql`CREATE TABLE stream_log (
  seq ${key},
  tenant_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL
)`.execute(tx.db);
      await sql`CREATE INDEX stream_log_tenant ON stream_log (tenant_id, seq)`.execute(tx.db);
    },
  },
];
