import { randomUUID } from 'node:crypto';
import { ConflictError, isUniqueViolation, NotFoundError, type Selectable } from '@aegis/common';
import { builtInType, BUILT_IN_TYPES, type EventField, type EventType } from './event-types';
import type { EventsDb, EventTypesTable } from './schema';

/** Event types of a tenant, stored with their fields as one JSON list. Built-in types are code, not
 * rows: they are listed and read like stored ones and refuse every write. */

function fromRow(r: Selectable<EventTypesTable>): EventType {
  return {
    type_id: r.type_id,
    key: r.type_key,
    name: r.name,
    description: r.description,
    status: r.status,
    fields: JSON.parse(r.fields) as EventField[],
    built_in: false,
    version: Number(r.version),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

const typesOf = ({ db }: EventsDb, tenant: string) =>
  db.selectFrom('event_types').selectAll().where('tenant_id', '=', tenant);

/** Built-ins first, then the tenant's types by key. */
export async function listEventTypes(db: EventsDb, tenant: string): Promise<EventType[]> {
  const rows = await typesOf(db, tenant).orderBy('type_key').execute();
  return [...BUILT_IN_TYPES, ...rows.map(fromRow)];
}

/** A type by its `et-…` id or its key. */
export async function findEventType(
  db: EventsDb,
  tenant: string,
  ref: string,
): Promise<EventType | undefined> {
  const builtIn = builtInType(ref);
  if (builtIn) return builtIn;
  const column = ref.startsWith('et-') ? 'type_id' : 'type_key';
  const row = await typesOf(db, tenant).where(column, '=', ref).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function requireEventType(db: EventsDb, tenant: string, ref: string): Promise<EventType> {
  const t = await findEventType(db, tenant, ref);
  if (!t) throw new NotFoundError(`Event type ${ref} not found`, 'event_type_not_found');
  return t;
}

/** A stored (not built-in) type, for a write: built-ins are a 409. */
export async function requireEditableType(db: EventsDb, tenant: string, ref: string): Promise<EventType> {
  const t = await requireEventType(db, tenant, ref);
  if (t.built_in)
    throw new ConflictError(`Event type ${t.key} is built in and cannot be changed`, 'event_type_built_in');
  return t;
}

export async function createEventType(
  { db }: EventsDb,
  tenant: string,
  input: Pick<EventType, 'key' | 'name' | 'description' | 'fields'>,
  now: string,
): Promise<EventType> {
  if (builtInType(input.key))
    throw new ConflictError(`Event type ${input.key} is built in`, 'event_type_exists');
  const t: EventType = {
    ...input,
    type_id: `et-${randomUUID()}`,
    status: 'draft',
    built_in: false,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  // Checked first; the unique index refuses a concurrent twin, also answered 409.
  const taken = await db
    .selectFrom('event_types')
    .select('type_id')
    .where((eb) => eb.and({ tenant_id: tenant, type_key: input.key }))
    .executeTakeFirst();
  if (taken) throw new ConflictError(`Event type ${input.key} already exists`, 'event_type_exists');
  await db
    .insertInto('event_types')
    .values({
      type_id: t.type_id,
      tenant_id: tenant,
      type_key: t.key,
      name: t.name,
      description: t.description,
      status: t.status,
      fields: JSON.stringify(t.fields),
      version: t.version,
      created_at: now,
      updated_at: now,
    })
    .execute()
    .catch((err: unknown) => {
      throw isUniqueViolation(err)
        ? new ConflictError(`Event type ${input.key} already exists`, 'event_type_exists')
        : err;
    });
  return t;
}

/** Saves a changed type if nobody wrote it since it was read (its version), else 409. */
export async function saveEventType(
  { db }: EventsDb,
  tenant: string,
  t: EventType,
  now: string,
): Promise<EventType> {
  if (builtInType(t.key) && !t.built_in)
    throw new ConflictError(`Event type ${t.key} is built in`, 'event_type_exists');
  const r = await db
    .updateTable('event_types')
    .set({
      type_key: t.key,
      name: t.name,
      description: t.description,
      status: t.status,
      fields: JSON.stringify(t.fields),
      version: t.version + 1,
      updated_at: now,
    })
    .where((eb) => eb.and({ tenant_id: tenant, type_id: t.type_id, version: t.version }))
    .executeTakeFirst()
    .catch((err: unknown) => {
      throw isUniqueViolation(err)
        ? new ConflictError(`Event type ${t.key} already exists`, 'event_type_exists')
        : err;
    });
  if (r.numUpdatedRows === 0n)
    throw new ConflictError(
      `Event type ${t.key} was changed concurrently; read it again`,
      'concurrent_update',
    );
  return { ...t, version: t.version + 1, updated_at: now };
}

export async function deleteEventType({ db }: EventsDb, tenant: string, t: EventType): Promise<void> {
  await db
    .deleteFrom('event_types')
    .where((eb) => eb.and({ tenant_id: tenant, type_id: t.type_id }))
    .execute();
}
