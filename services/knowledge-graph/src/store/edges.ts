import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type ListParams,
  type Queryable,
  type SqlValue,
} from '@aegis/common';
import type { PreparedEdge } from '../domain/items';
import { parseJson } from './sql';

export interface EdgeRow {
  edge_id: string;
  from_label: string;
  from_id: string;
  rel_type: string;
  to_label: string;
  to_id: string;
  properties: string;
  created_at: string;
  updated_at: string;
}

export interface EdgeView {
  edge_id: string;
  from_label: string;
  from_id: string;
  rel_type: string;
  to_label: string;
  to_id: string;
  properties: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export const EDGE_COLUMNS =
  'edge_id, from_label, from_id, rel_type, to_label, to_id, properties, created_at, updated_at';
export const EDGE_SORTABLE = ['created_at', 'updated_at', 'rel_type'] as const;

export function edgeView(row: EdgeRow): EdgeView {
  return { ...row, properties: parseJson(row.properties) };
}

async function entityExists(db: Queryable, tenant: string, label: string, id: string): Promise<boolean> {
  const row = await db.get(
    'SELECT 1 AS x FROM kg_entities WHERE tenant_id = ? AND label = ? AND entity_id = ?',
    [tenant, label, id],
  );
  return row !== undefined;
}

/** POST /edges: both endpoints must exist (422 naming the missing one); a duplicate is a 409. */
export async function insertEdge(
  db: Queryable,
  tenant: string,
  e: PreparedEdge,
  now: string,
): Promise<EdgeView> {
  const issues = [];
  if (!(await entityExists(db, tenant, e.fromLabel, e.fromId)))
    issues.push({
      loc: ['body', 'from_id'],
      msg: `${e.fromLabel} ${e.fromId} does not exist`,
      type: 'not_found',
    });
  if (!(await entityExists(db, tenant, e.toLabel, e.toId)))
    issues.push({ loc: ['body', 'to_id'], msg: `${e.toLabel} ${e.toId} does not exist`, type: 'not_found' });
  if (issues.length > 0) throw new ValidationError(issues);
  const dup = await db.get(
    'SELECT 1 AS x FROM kg_edges WHERE tenant_id = ? AND from_label = ? AND from_id = ? AND rel_type = ? AND to_label = ? AND to_id = ?',
    [tenant, e.fromLabel, e.fromId, e.relType, e.toLabel, e.toId],
  );
  if (dup) throw new ConflictError('This edge already exists', 'edge_exists');
  const row: EdgeRow = {
    edge_id: randomUUID(),
    from_label: e.fromLabel,
    from_id: e.fromId,
    rel_type: e.relType,
    to_label: e.toLabel,
    to_id: e.toId,
    properties: JSON.stringify(e.properties),
    created_at: now,
    updated_at: now,
  };
  await db.run(
    'INSERT INTO kg_edges (edge_id, tenant_id, from_label, from_id, rel_type, to_label, to_id, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      row.edge_id,
      tenant,
      row.from_label,
      row.from_id,
      row.rel_type,
      row.to_label,
      row.to_id,
      row.properties,
      now,
      now,
    ],
  );
  return edgeView(row);
}

export interface EdgeFilter {
  direction: 'out' | 'in' | 'both';
  relType?: string;
}

/** Edges touching an entity, one page. */
export async function listEdgesOf(
  db: Queryable,
  tenant: string,
  label: string,
  id: string,
  filter: EdgeFilter,
  params: Pick<ListParams, 'limit' | 'offset' | 'sortDir'> & { sortBy: (typeof EDGE_SORTABLE)[number] },
): Promise<{ rows: EdgeView[]; total: number }> {
  const parts: string[] = [];
  const values: SqlValue[] = [];
  if (filter.direction !== 'in') {
    parts.push('(from_label = ? AND from_id = ?)');
    values.push(label, id);
  }
  if (filter.direction !== 'out') {
    parts.push('(to_label = ? AND to_id = ?)');
    values.push(label, id);
  }
  let where = `tenant_id = ? AND (${parts.join(' OR ')})`;
  values.unshift(tenant);
  if (filter.relType) {
    where += ' AND rel_type = ?';
    values.push(filter.relType);
  }
  const dir = params.sortDir === 'desc' ? 'DESC' : 'ASC';
  const rows = await db.all<EdgeRow>(
    `SELECT ${EDGE_COLUMNS} FROM kg_edges WHERE ${where} ORDER BY ${params.sortBy} ${dir}, edge_id ${dir} LIMIT ? OFFSET ?`,
    [...values, params.limit, params.offset],
  );
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM kg_edges WHERE ${where}`, values);
  return { rows: rows.map(edgeView), total: Number(count?.n ?? 0) };
}

export async function deleteEdge(db: Queryable, tenant: string, edgeId: string): Promise<void> {
  const r = await db.run('DELETE FROM kg_edges WHERE tenant_id = ? AND edge_id = ?', [tenant, edgeId]);
  if (r.changes === 0) throw new NotFoundError('Edge not found', 'edge_not_found');
}
