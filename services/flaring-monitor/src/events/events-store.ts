import { createHash, randomUUID } from 'node:crypto';
import {
  canonicalJson,
  ConflictError,
  listPage,
  NotFoundError,
  type PageParams,
  type Queryable,
  type Selectable,
} from '@aegis/common';
import type { Correlation } from '../store/flare-events';
import { appendStream } from '../stream/log';
import { eventsDb, type EventsDb, type OpEventsTable } from './schema';

/** Operational events of a tenant. Every event created is appended to the stream log in the same
 * transaction. */

export const EVENT_STATUSES = ['open', 'reviewed', 'closed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface EntityRef {
  label: string;
  id: string;
}

export interface OpEvent {
  event_id: string;
  event_type: string;
  entity: EntityRef | null;
  occurred_at: string;
  data: Record<string, unknown>;
  idempotency_key: string | null;
  content_hash: string;
  correlated: Correlation[];
  status: EventStatus;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface NewEvent {
  event_type: string;
  entity: EntityRef | null;
  occurred_at: string;
  data: Record<string, unknown>;
  idempotency_key: string | null;
  status: EventStatus;
  created_by: string;
}

function fromRow(r: Selectable<OpEventsTable>): OpEvent {
  return {
    event_id: r.event_id,
    event_type: r.event_type,
    entity:
      r.entity_label !== null && r.entity_id !== null ? { label: r.entity_label, id: r.entity_id } : null,
    occurred_at: r.occurred_at,
    data: JSON.parse(r.data) as Record<string, unknown>,
    idempotency_key: r.idempotency_key,
    content_hash: r.content_hash,
    correlated: JSON.parse(r.correlated) as Correlation[],
    status: r.status,
    created_by: r.created_by,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** What makes two submissions "the same event": type, entity, time and data (sha256 of canonical JSON). */
export function contentHash(e: Pick<NewEvent, 'event_type' | 'entity' | 'occurred_at' | 'data'>): string {
  const canonical = canonicalJson({
    event_type: e.event_type,
    entity: e.entity,
    occurred_at: new Date(e.occurred_at).toISOString(),
    data: e.data,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

const eventsOf = ({ db }: EventsDb, tenant: string) =>
  db.selectFrom('op_events').selectAll().where('tenant_id', '=', tenant);

export async function getEvent(q: Queryable, tenant: string, id: string): Promise<OpEvent | undefined> {
  const row = await eventsOf(eventsDb(q), tenant).where('event_id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function requireEvent(db: EventsDb, tenant: string, id: string): Promise<OpEvent> {
  const e = await getEvent(db, tenant, id);
  if (!e) throw new NotFoundError(`Event ${id} not found`, 'event_not_found');
  return e;
}

function duplicate(existing: string): ConflictError {
  return new ConflictError(`Duplicate of event ${existing}`, 'duplicate_event');
}

/** After a unique violation on the idempotency key (a concurrent twin committed first): the 409
 * naming the event that won, or undefined when the key is not the cause. */
export async function idempotencyConflict(
  db: EventsDb,
  tenant: string,
  key: string | null,
): Promise<ConflictError | undefined> {
  if (key === null) return undefined;
  const winner = await eventsOf(db, tenant).where('idempotency_key', '=', key).executeTakeFirst();
  return winner ? duplicate(winner.event_id) : undefined;
}

/**
 * Records an event and appends it to the stream, unless it duplicates one: the same
 * idempotency key (ever), or the same content hash recorded within `dedupWindowMs` → 409
 * `duplicate_event` naming the existing event. Call inside a transaction.
 */
export async function createEvent(
  db: EventsDb,
  tenant: string,
  input: NewEvent,
  opts: { now: number; dedupWindowMs: number },
): Promise<OpEvent> {
  const now = new Date(opts.now).toISOString();
  const hash = contentHash(input);
  if (input.idempotency_key !== null) {
    const same = await eventsOf(db, tenant)
      .where('idempotency_key', '=', input.idempotency_key)
      .executeTakeFirst();
    if (same) throw duplicate(same.event_id);
  }
  const since = new Date(opts.now - opts.dedupWindowMs).toISOString();
  const twin = await eventsOf(db, tenant)
    .where('content_hash', '=', hash)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  if (twin) throw duplicate(twin.event_id);
  const event: OpEvent = {
    ...input,
    occurred_at: new Date(input.occurred_at).toISOString(),
    event_id: `evt-${randomUUID()}`,
    content_hash: hash,
    correlated: [],
    created_at: now,
    updated_at: now,
  };
  await db.db
    .insertInto('op_events')
    .values({
      ...toColumns(event),
      tenant_id: tenant,
      event_id: event.event_id,
      created_by: event.created_by,
      created_at: now,
    })
    .execute();
  await appendStream(db, tenant, event.event_type, eventPayload(event), now);
  return event;
}

function toColumns(e: OpEvent) {
  return {
    event_type: e.event_type,
    entity_label: e.entity?.label ?? null,
    entity_id: e.entity?.id ?? null,
    occurred_at: e.occurred_at,
    data: JSON.stringify(e.data),
    idempotency_key: e.idempotency_key,
    content_hash: e.content_hash,
    correlated: JSON.stringify(e.correlated),
    status: e.status,
    updated_at: e.updated_at,
  };
}

/** What the stream carries for an operational event: the event as the API shows it. */
export function eventPayload(e: OpEvent): Record<string, unknown> {
  return { ...e };
}

export async function saveEvent(db: EventsDb, tenant: string, e: OpEvent, now: string): Promise<OpEvent> {
  const next = { ...e, updated_at: now };
  await db.db
    .updateTable('op_events')
    .set(toColumns(next))
    .where((eb) => eb.and({ tenant_id: tenant, event_id: e.event_id }))
    .execute();
  return next;
}

export interface EventFilters {
  event_type?: string;
  entity_id?: string;
  status?: EventStatus;
  /** Inclusive bounds on occurred_at (ISO UTC). */
  from?: string;
  to?: string;
}

export const EVENT_SORTABLE = ['occurred_at', 'created_at', 'event_type'] as const;

export async function listEvents(
  db: EventsDb,
  tenant: string,
  filters: EventFilters,
  params: PageParams<(typeof EVENT_SORTABLE)[number]>,
): Promise<{ rows: OpEvent[]; total: number }> {
  let q = eventsOf(db, tenant);
  if (filters.event_type !== undefined) q = q.where('event_type', '=', filters.event_type);
  if (filters.entity_id !== undefined) q = q.where('entity_id', '=', filters.entity_id);
  if (filters.status !== undefined) q = q.where('status', '=', filters.status);
  if (filters.from !== undefined) q = q.where('occurred_at', '>=', filters.from);
  if (filters.to !== undefined) q = q.where('occurred_at', '<=', filters.to);
  const { rows, total } = await listPage(q, params, { tiebreaker: 'event_id' });
  return { rows: rows.map(fromRow), total };
}

/** Events of one type, a page at a time by id (for checking a type change against stored data). */
export async function* eventsOfType(
  db: EventsDb,
  tenant: string,
  type: string,
  pageSize = 500,
): AsyncGenerator<OpEvent> {
  let after = '';
  for (;;) {
    const rows = await eventsOf(db, tenant)
      .where('event_type', '=', type)
      .where('event_id', '>', after)
      .orderBy('event_id')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield fromRow(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].event_id;
  }
}

export async function hasEventsOfType({ db }: EventsDb, tenant: string, type: string): Promise<boolean> {
  const row = await db
    .selectFrom('op_events')
    .select('event_id')
    .where((eb) => eb.and({ tenant_id: tenant, event_type: type }))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
