import { sweeperMigrations, type Migration } from '@aegis/common';
import { EVENTS_MIGRATIONS } from '../events/migrations';

/** The flare-event tables (SQL both SQLite and PostgreSQL accept). */
export const FLARE_EVENT_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_flare_events',
    up: `
      CREATE TABLE flare_events (
        event_id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        well_id TEXT NOT NULL,
        authorization_id TEXT,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        volume_mcf DOUBLE PRECISION NOT NULL,
        disposition TEXT NOT NULL,
        cause TEXT,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        source_reading_id TEXT,
        correlated TEXT NOT NULL DEFAULT '[]',
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX flare_events_tenant_start ON flare_events (tenant_id, start_time);
      CREATE INDEX flare_events_tenant_well ON flare_events (tenant_id, well_id, start_time);
      CREATE INDEX flare_events_tenant_auth ON flare_events (tenant_id, authorization_id, start_time);
      CREATE UNIQUE INDEX flare_events_tenant_reading ON flare_events (tenant_id, source_reading_id);
    `,
  },
];

/** Every migration of the service, in order. The events part (src/events, src/stream, src/sweep) and
 * the shared sweeper lease append theirs here, with ids after 0001. */
export const FLARING_MIGRATIONS: readonly Migration[] = [
  ...FLARE_EVENT_MIGRATIONS,
  ...EVENTS_MIGRATIONS,
  ...sweeperMigrations,
];
