import { ConflictError, NotFoundError, type ListParams, type Queryable, type SqlValue } from '@aegis/common';
import type { PreparedEntity } from '../domain/items';
import { chunks, inList, parseJson, propText } from './sql';

export interface EntityRow {
  label: string;
  entity_id: string;
  properties: string;
  created_at: string;
  updated_at: string;
}

export interface EntityView {
  label: string;
  entity_id: string;
  properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export const ENTITY_COLUMNS = 'label, entity_id, properties, created_at, updated_at';
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
  db: Queryable,
  tenant: string,
  label: string,
  id: string,
): Promise<EntityView | undefined> {
  const row = await db.get<EntityRow>(
    `SELECT ${ENTITY_COLUMNS} FROM kg_entities WHERE tenant_id = ? AND label = ? AND entity_id = ?`,
    [tenant, label, id],
  );
  return row ? entityView(row) : undefined;
}

export async function requireEntity(
  db: Queryable,
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
  db: Queryable,
  tenant: string,
  label: string,
  filters: Readonly<Record<string, string>>,
  params: Pick<ListParams, 'limit' | 'offset' | 'sortDir'> & { sortBy: (typeof ENTITY_SORTABLE)[number] },
): Promise<{ rows: EntityView[]; total: number }> {
  let where = 'tenant_id = ? AND label = ?';
  const values: SqlValue[] = [tenant, label];
  for (const [name, value] of Object.entries(filters)) {
    const f = propText(db.dialect, name);
    where += ` AND ${f.sql} = ?`;
    values.push(...f.params, value);
  }
  const dir = params.sortDir === 'desc' ? 'DESC' : 'ASC';
  const rows = await db.all<EntityRow>(
    `SELECT ${ENTITY_COLUMNS} FROM kg_entities WHERE ${where} ORDER BY ${params.sortBy} ${dir}, entity_id ${dir} LIMIT ? OFFSET ?`,
    [...values, params.limit, params.offset],
  );
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM kg_entities WHERE ${where}`, values);
  return { rows: rows.map(entityView), total: Number(count?.n ?? 0) };
}

export async function insertEntity(
  db: Queryable,
  tenant: string,
  e: PreparedEntity,
  now: string,
): Promise<EntityView> {
  const exists = await db.get(
    'SELECT 1 AS x FROM kg_entities WHERE tenant_id = ? AND label = ? AND entity_id = ?',
    [tenant, e.label, e.entityId],
  );
  if (exists) throw new ConflictError(`${e.label} ${e.entityId} already exists`, 'entity_exists');
  await db.run(
    'INSERT INTO kg_entities (tenant_id, label, entity_id, properties, latitude, longitude, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [tenant, e.label, e.entityId, JSON.stringify(e.properties), e.latitude, e.longitude, now, now],
  );
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
  db: Queryable,
  tenant: string,
  e: PreparedEntity,
  now: string,
): Promise<EntityView> {
  const before = await requireEntity(db, tenant, e.label, e.entityId);
  await db.run(
    'UPDATE kg_entities SET properties = ?, latitude = ?, longitude = ?, updated_at = ? WHERE tenant_id = ? AND label = ? AND entity_id = ?',
    [JSON.stringify(e.properties), e.latitude, e.longitude, now, tenant, e.label, e.entityId],
  );
  return { ...before, properties: e.properties, updated_at: now };
}

/** Deletes an entity and every edge touching it; call inside a transaction. */
export async function deleteEntity(
  db: Queryable,
  tenant: string,
  label: string,
  id: string,
): Promise<number> {
  const n = await db.run('DELETE FROM kg_entities WHERE tenant_id = ? AND label = ? AND entity_id = ?', [
    tenant,
    label,
    id,
  ]);
  if (n.changes === 0) throw new NotFoundError(`${label} ${id} not found`, 'entity_not_found');
  const a = await db.run('DELETE FROM kg_edges WHERE tenant_id = ? AND from_label = ? AND from_id = ?', [
    tenant,
    label,
    id,
  ]);
  const b = await db.run('DELETE FROM kg_edges WHERE tenant_id = ? AND to_label = ? AND to_id = ?', [
    tenant,
    label,
    id,
  ]);
  return a.changes + b.changes;
}

/** Properties of the entities among `ids` (one label) that exist, by id. */
export async function existingProperties(
  db: Queryable,
  tenant: string,
  label: string,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const part of chunks([...new Set(ids)], 512)) {
    const list = inList(part);
    const rows = await db.all<{ entity_id: string; properties: string }>(
      `SELECT entity_id, properties FROM kg_entities WHERE tenant_id = ? AND label = ? AND entity_id IN (${list.sql})`,
      [tenant, label, ...list.params],
    );
    for (const r of rows) found.set(r.entity_id, parseJson(r.properties));
  }
  return found;
}

export async function countEntities(db: Queryable, tenant: string): Promise<number> {
  const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM kg_entities WHERE tenant_id = ?', [
    tenant,
  ]);
  return Number(row?.n ?? 0);
}
