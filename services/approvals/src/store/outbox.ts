import type { ApprovalsDb } from './schema';

/** One published event: a decision a waiting agent run resumes on. `seq` numbers the tenant's events
 * 1, 2, 3… in commit order, so `after=<last seq seen>` never skips one. */
export interface OutboxEvent {
  seq: number;
  approval_id: string;
  event_type: string;
  data: Record<string, unknown>;
  created_at: string;
}

/** The tenant's events after `after`, oldest first, at most `limit`. */
export async function readOutbox(
  { db }: ApprovalsDb,
  tenant: string,
  after: number,
  limit: number,
): Promise<OutboxEvent[]> {
  const rows = await db
    .selectFrom('approval_outbox')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    approval_id: r.approval_id,
    event_type: r.event_type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    created_at: r.created_at,
  }));
}

/** The tenant's newest event seq (0 when none). */
export async function lastOutboxSeq({ db }: ApprovalsDb, tenant: string): Promise<number> {
  const row = await db
    .selectFrom('audit_heads')
    .select('outbox_seq')
    .where('tenant_id', '=', tenant)
    .executeTakeFirst();
  return Number(row?.outbox_seq ?? 0);
}
