import type { Queryable, Selectable } from '@aegis/common';
import { eventsDb, type EventsDb, type StreamLogTable } from '../events/schema';

/** The append-only stream log: what `GET /events/stream` delivers, in `seq` order. */

export interface StreamEntry {
  seq: number;
  tenant_id: string;
  event_type: string;
  data: Record<string, unknown>;
  created_at: string;
}

/** At most this many rows are replayed after a `Last-Event-ID`: the newest ones, so what a client
 * receives is always contiguous up to now (a client further behind misses the oldest). */
export const REPLAY_LIMIT = 1000;

function fromRow(r: Selectable<StreamLogTable>): StreamEntry {
  return {
    seq: Number(r.seq),
    tenant_id: r.tenant_id,
    event_type: r.event_type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    created_at: r.created_at,
  };
}

/** Appends one event to a tenant's stream. Call it in the transaction that records what it reports
 * (an operational event, a flare event, an alert), so the stream never announces a rolled-back row. */
export async function appendStream(
  q: Queryable,
  tenant: string,
  eventType: string,
  data: Record<string, unknown>,
  now: string,
): Promise<void> {
  await eventsDb(q)
    .db.insertInto('stream_log')
    .values({ tenant_id: tenant, event_type: eventType, data: JSON.stringify(data), created_at: now })
    .execute();
}

/** Rows of every tenant after `seq`, oldest first (the process-wide poller). */
export async function readStreamAfter({ db }: EventsDb, seq: number, limit: number): Promise<StreamEntry[]> {
  const rows = await db
    .selectFrom('stream_log')
    .selectAll()
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

/** One tenant's newest `limit` rows after `seq`, oldest first (replay from Last-Event-ID). */
export async function replayStream(
  { db }: EventsDb,
  tenant: string,
  seq: number,
  limit = REPLAY_LIMIT,
): Promise<StreamEntry[]> {
  const rows = await db
    .selectFrom('stream_log')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('seq', '>', seq)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(fromRow);
}

/** The newest seq of any tenant (0 for an empty log): where a starting poller begins. */
export async function latestSeq({ db }: EventsDb): Promise<number> {
  const row = await db
    .selectFrom('stream_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
