import type { Queryable, Store } from '@aegis/common';
import type { EventsDatabase } from '../events/schema';

/** One flare event (a period of flaring or venting at a well) as stored. Times are RFC 3339 UTC
 * strings (`toISOString`, so they sort as text on both stores); `volume_mcf` is thousands of standard
 * cubic feet; `correlated` is the JSON list of correlations. */
export interface FlareEventsTable {
  event_id: string;
  tenant_id: string;
  well_id: string;
  authorization_id: string | null;
  start_time: string;
  end_time: string;
  volume_mcf: number;
  disposition: string;
  cause: string | null;
  status: string;
  source: string;
  source_reading_id: string | null;
  correlated: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** The flaring-monitor tables. The events part (operational events, event types, alerts, the stream
 * log: src/events, src/stream, src/sweep) adds its tables here. */
export interface FlaringDatabase extends EventsDatabase {
  flare_events: FlareEventsTable;
}

/** The flaring-monitor store or one of its transactions. */
export type FlaringDb = Queryable<FlaringDatabase>;
export type FlaringStore = Store<FlaringDatabase>;
