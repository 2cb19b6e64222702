import { ConflictError, NotFoundError, listPage, type PageParams, type Selectable } from '@aegis/common';
import type { PreparedEntity } from '../domain/items';
import type { EntitiesTable, GraphDb } from './schema';
import { chunks, padList, parseJson, propText } from './sql';

export type EntityRow = Pick<
  Selectable<EntitiesTable>,
  'label' | 'entity_id' | 'properties' | 'created_at' | 'updated_at'
>;

export interface EntityView {
  label: string;
  entity_id: string;
  properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export const ENTITY_COLUMNS = ['label', 'entity_id', 'properties', 'created_at', 'updated_at'] as const;
/** Every column of kg_entities: what a whole-row write names. */
export const ENTITY_TABLE_COLUMNS = [
  'tenant_id',
  'label',
  'entity_id',
  'properties',
  'latitude',
  'longitude',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof EntitiesTable)[];
export const ENTITY_SORTABLE = ['entity_id', 'created_at', 'updated_at'] as const;

export function entityView(row: EntityRow): EntityView {
  return {
    label: row.label,
    entity_id: row.entity_id,
    properties: parseJson(row.properties),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function getEntity(
  { db }: GraphDb,
  tenant: string,
  label: string,
  id: string,
): Promise<EntityView | undefined> {
  const row = await db
    .selectFrom('kg_entities')
    .select(ENTITY_COLUMNS)
    .where((eb) => eb.and({ tenant_id: tenant, label, entity_id: id }))
    .executeTakeFirst();
  return row ? entityView(row) : undefined;
}

export async function requireEntity(
  db: GraphDb,
  tenant: string,
  label: string,
  id: string,
): Promise<EntityView> {
  const e = await getEntity(db, tenant, label, id);
  if (!e) throw new NotFoundError(`${label} ${id} not found`, 'entity_not_found');
  return e;
}

/** Lists one label with equality filters on properties (compared as text). */
export async function listEntities(
  { db, dialect }: GraphDb,
  tenant: string,
  label: string,
  filters: Readonly<Record<string, string>>,
  params: PageParams<(typeof ENTITY_SORTABLE)[number]>,
): Promise<{ rows: EntityView[]; total: number }> {
  let query = db
    .selectFrom('kg_entities')
    .select(ENTITY_COLUMNS)
    .where('tenant_id', '=', tenant)
    .where('label', '=', label);
  for (const [name, value] of Object.entries(filters)) {
    query = query.where(propText(dialect, name), '=', value);
  }
  const { rows, total } = await listPage(query, params, { tiebreaker: 'entity_id' });
  return { rows: rows.map(entityView), total };
}

export async function insertEntity(
  { db }: GraphDb,
  tenant: string,
  e: PreparedEntity,
  now: string,
): Promise<EntityView> {
  const exists = await db
    .selectFrom('kg_entities')
    .select('entity_id')
    .where((eb) => eb.and({ tenant_id: tenant, label: e.label, entity_id: e.entityId }))
    .executeTakeFirst();
  if (exists) throw new ConflictError(`${e.label} ${e.entityId} already exists`, 'entity_exists');
  await db
    .insertInto('kg_entities')
    .values({
      tenant_id: tenant,
      label: e.label,
      entity_id: e.entityId,
      properties: JSON.stringify(e.properties),
      latitude: e.latitude,
      longitude: e.longitude,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return {
    label: e.label,
    entity_id: e.entityId,
    properties: e.properties,
    created_at: now,
    updated_at: now,
  };
}

/** Replaces the properties of an existing entity (PUT). */
export async function replaceEntity(
  q: GraphDb,
  tenant: string,
  e: PreparedEntity,
  now: string,
): Promise<EntityView> {
  const before = await requireEntity(q, tenant, e.label, e.entityId);
  await q.db
    .updateTable('kg_entities')
    .set({
      properties: JSON.stringify(e.properties),
      latitude: e.latitude,
      longitude: e.longitude,
      updated_at: now,
    })
    .where((eb) => eb.and({ tenant_id: tenant, label: e.label, entity_id: e.entityId }))
    .execute();
  return { ...before, properties: e.properties, updated_at: now };
}

/** Deletes an entity and every edge touching it; call inside a transaction. */
export async function deleteEntity(
  { db }: GraphDb,
  tenant: string,
  label: string,
  id: string,
): Promise<number> {
  const n = await db
    .deleteFrom('kg_entities')
    .where((eb) => eb.and({ tenant_id: tenant, label, entity_id: id }))
    .executeTakeFirst();
  if (n.numDeletedRows === 0n) throw new NotFoundError(`${label} ${id} not found`, 'entity_not_found');
  const a = await db
    .deleteFrom('kg_edges')
    .where((eb) => eb.and({ tenant_id: tenant, from_label: label, from_id: id }))
    .executeTakeFirst();
  const b = await db
    .deleteFrom('kg_edges')
    .where((eb) => eb.and({ tenant_id: tenant, to_label: label, to_id: id }))
    .executeTakeFirst();
  return Number(a.numDeletedRows + b.numDeletedRows);
}

/** Properties of the entities among `ids` (one label) that exist, by id. */
export async function existingProperties(
  { db }: GraphDb,
  tenant: string,
  label: string,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const part of chunks([...new Set(ids)], 512)) {
    const rows = await db
      .selectFrom('kg_entities')
      .select(['entity_id', 'properties'])
      .where((eb) => eb.and({ tenant_id: tenant, label }))
      .where('entity_id', 'in', padList(part))
      .execute();
    for (const r of rows) found.set(r.entity_id, parseJson(r.properties));
  }
  return found;
}

/** The ids among `ids` that exist (one label): an existence check reads no properties. */
export async function existingIds(
  { db }: GraphDb,
  tenant: string,
  label: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(ids)], 512)) {
    const rows = await db
      .selectFrom('kg_entities')
      .select('entity_id')
      .where((eb) => eb.and({ tenant_id: tenant, label }))
      .where('entity_id', 'in', padList(part))
      .execute();
    for (const r of rows) found.add(r.entity_id);
  }
  return found;
}

export async function countEntities({ db }: GraphDb, tenant: string): Promise<number> {
  const row = await db
    .selectFrom('kg_entities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenant)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
