import { randomUUID } from 'node:crypto';
import { listPage, NotFoundError, type PageParams, type Selectable } from '@aegis/common';
import type { Disposition } from '../domain/dispositions';
import type { FlareVolume } from '../domain/rule32';
import type { FlareEventsTable, FlaringDb } from './schema';

export const FLARE_EVENT_STATUSES = ['open', 'reviewed', 'closed'] as const;
export type FlareEventStatus = (typeof FLARE_EVENT_STATUSES)[number];
export const FLARE_EVENT_SOURCES = ['manual', 'scada', 'csv'] as const;
export type FlareEventSource = (typeof FLARE_EVENT_SOURCES)[number];
export const FLARE_EVENT_SORTABLE = [
  'start_time',
  'end_time',
  'volume_mcf',
  'created_at',
  'well_id',
] as const;
export type FlareEventSortColumn = (typeof FLARE_EVENT_SORTABLE)[number];

export interface Correlation {
  kind: 'flare_event' | 'event' | 'entity';
  id: string;
  label?: string;
  note?: string;
  correlated_by: string;
  correlated_at: string;
}

/** A flare event as the API shows it. */
export interface FlareEvent {
  event_id: string;
  well_id: string;
  authorization_id: string | null;
  start_time: string;
  end_time: string;
  volume_mcf: number;
  disposition: Disposition;
  cause: string | null;
  status: FlareEventStatus;
  source: FlareEventSource;
  source_reading_id: string | null;
  correlated: Correlation[];
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** The fields a client sets (times already normalised to UTC `toISOString`). */
export interface FlareEventFields {
  well_id: string;
  authorization_id: string | null;
  start_time: string;
  end_time: string;
  volume_mcf: number;
  disposition: Disposition;
  cause: string | null;
  status: FlareEventStatus;
}

export function toFlareEvent(r: Selectable<FlareEventsTable>): FlareEvent {
  return {
    event_id: r.event_id,
    well_id: r.well_id,
    authorization_id: r.authorization_id,
    start_time: r.start_time,
    end_time: r.end_time,
    volume_mcf: Number(r.volume_mcf),
    disposition: r.disposition as Disposition,
    cause: r.cause,
    status: r.status as FlareEventStatus,
    source: r.source as FlareEventSource,
    source_reading_id: r.source_reading_id,
    correlated: JSON.parse(r.correlated) as Correlation[],
    created_by: r.created_by,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export function newFlareEventId(): string {
  return `fe-${randomUUID()}`;
}

export async function insertFlareEvent(
  { db }: FlaringDb,
  tenant: string,
  fields: FlareEventFields & {
    source: FlareEventSource;
    source_reading_id: string | null;
    created_by: string;
  },
  at: string,
): Promise<FlareEvent> {
  const row = {
    event_id: newFlareEventId(),
    tenant_id: tenant,
    ...fields,
    correlated: '[]',
    created_at: at,
    updated_at: at,
  };
  await db.insertInto('flare_events').values(row).execute();
  return toFlareEvent(row);
}

/** The tenant's event with `column` = `value`, if any. */
async function findOne(
  { db }: FlaringDb,
  tenant: string,
  column: 'event_id' | 'source_reading_id',
  value: string,
): Promise<FlareEvent | undefined> {
  const row = await db
    .selectFrom('flare_events')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where(column, '=', value)
    .executeTakeFirst();
  return row ? toFlareEvent(row) : undefined;
}

export const findFlareEvent = (q: FlaringDb, tenant: string, id: string) =>
  findOne(q, tenant, 'event_id', id);

export async function getFlareEvent(q: FlaringDb, tenant: string, id: string): Promise<FlareEvent> {
  const found = await findFlareEvent(q, tenant, id);
  if (!found) throw new NotFoundError(`Flare event ${id} not found`, 'flare_event_not_found');
  return found;
}

export const findByReading = (q: FlaringDb, tenant: string, readingId: string) =>
  findOne(q, tenant, 'source_reading_id', readingId);

export interface FlareEventFilters {
  well_id?: string;
  authorization_id?: string;
  status?: FlareEventStatus;
  disposition?: Disposition;
  /** Events ending at or after `from` and starting at or before `to` (RFC 3339, normalised). */
  from?: string;
  to?: string;
}

function filtered({ db }: FlaringDb, tenant: string, f: FlareEventFilters) {
  let q = db.selectFrom('flare_events').where('tenant_id', '=', tenant);
  if (f.well_id !== undefined) q = q.where('well_id', '=', f.well_id);
  if (f.authorization_id !== undefined) q = q.where('authorization_id', '=', f.authorization_id);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.disposition !== undefined) q = q.where('disposition', '=', f.disposition);
  if (f.from !== undefined) q = q.where('end_time', '>=', f.from);
  if (f.to !== undefined) q = q.where('start_time', '<=', f.to);
  return q;
}

export async function listFlareEvents(
  q: FlaringDb,
  tenant: string,
  f: FlareEventFilters,
  params: PageParams<FlareEventSortColumn>,
): Promise<{ rows: FlareEvent[]; total: number }> {
  const { rows, total } = await listPage(filtered(q, tenant, f).selectAll(), params, {
    tiebreaker: 'event_id',
  });
  return { rows: rows.map(toFlareEvent), total };
}

/** The volumes of the events matching `f`, oldest first (for assessments, burn rate and forecast). */
export async function flareVolumes(
  q: FlaringDb,
  tenant: string,
  f: FlareEventFilters,
): Promise<FlareVolume[]> {
  const rows = await filtered(q, tenant, f)
    .select(['event_id', 'well_id', 'start_time', 'end_time', 'volume_mcf', 'disposition'])
    .orderBy('start_time')
    .orderBy('event_id')
    .execute();
  return rows.map((r) => ({
    ...r,
    volume_mcf: Number(r.volume_mcf),
    disposition: r.disposition as Disposition,
  }));
}

/** Events with no authorisation (`authorization_id` null), optionally of one well. */
export async function unauthorisedVolumes(
  q: FlaringDb,
  tenant: string,
  wellId?: string,
): Promise<FlareVolume[]> {
  let query = q.db
    .selectFrom('flare_events')
    .select(['event_id', 'well_id', 'start_time', 'end_time', 'volume_mcf', 'disposition'])
    .where('tenant_id', '=', tenant)
    .where('authorization_id', 'is', null);
  if (wellId !== undefined) query = query.where('well_id', '=', wellId);
  const rows = await query.orderBy('start_time').orderBy('event_id').execute();
  return rows.map((r) => ({
    ...r,
    volume_mcf: Number(r.volume_mcf),
    disposition: r.disposition as Disposition,
  }));
}

/** The authorisations the tenant's events are linked to, and the wells with events. */
export async function linkedIds(
  { db }: FlaringDb,
  tenant: string,
): Promise<{ authorizationIds: string[]; wellIds: string[] }> {
  const auths = await db
    .selectFrom('flare_events')
    .select('authorization_id')
    .distinct()
    .where('tenant_id', '=', tenant)
    .where('authorization_id', 'is not', null)
    .orderBy('authorization_id')
    .execute();
  const wells = await db
    .selectFrom('flare_events')
    .select('well_id')
    .distinct()
    .where('tenant_id', '=', tenant)
    .orderBy('well_id')
    .execute();
  return {
    authorizationIds: auths.map((a) => a.authorization_id!),
    wellIds: wells.map((w) => w.well_id),
  };
}

export async function updateFlareEvent(
  { db }: FlaringDb,
  tenant: string,
  id: string,
  set: Partial<FlareEventFields> & { correlated?: Correlation[] },
  at: string,
): Promise<void> {
  const { correlated, ...fields } = set;
  await db
    .updateTable('flare_events')
    .set({ ...fields, ...(correlated ? { correlated: JSON.stringify(correlated) } : {}), updated_at: at })
    .where((eb) => eb.and({ tenant_id: tenant, event_id: id }))
    .execute();
}

export async function deleteFlareEvent({ db }: FlaringDb, tenant: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('flare_events')
    .where((eb) => eb.and({ tenant_id: tenant, event_id: id }))
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
