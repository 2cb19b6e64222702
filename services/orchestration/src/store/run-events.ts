import type { RunEvent } from '../run/events';
import type { OrchestrationDb } from './schema';

/** A stored event of a conversation's stream. */
export interface StoredEvent {
  seq: number;
  event: RunEvent;
}

export async function insertEvent(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
  seq: number,
  event: RunEvent,
  at: string,
): Promise<void> {
  await db
    .insertInto('run_events')
    .values({
      tenant_id: tenant,
      conversation_id: conversationId,
      seq,
      run_id: event.run_id ?? null,
      event_type: event.event_type,
      data: JSON.stringify(event),
      created_at: at,
    })
    .execute();
}

/** The conversation's events after `after`, oldest first, at most `limit`. */
export async function readEvents(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
  after: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('run_events')
    .select(['seq', 'data'])
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), event: JSON.parse(r.data) as RunEvent }));
}

/** The conversation's newest event seq (0 when none). */
export async function lastEventSeqOf(
  { db }: OrchestrationDb,
  tenant: string,
  conversationId: string,
): Promise<number> {
  const row = await db
    .selectFrom('run_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
