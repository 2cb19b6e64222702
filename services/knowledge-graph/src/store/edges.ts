import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  listPage,
  NotFoundError,
  ValidationError,
  type PageParams,
  type Selectable,
} from '@aegis/common';
import type { PreparedEdge } from '../domain/items';
import type { EdgesTable, GraphDb } from './schema';
import { parseJson } from './sql';

export type EdgeRow = Omit<Selectable<EdgesTable>, 'tenant_id'>;

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

export const EDGE_COLUMNS = [
  'edge_id',
  'from_label',
  'from_id',
  'rel_type',
  'to_label',
  'to_id',
  'properties',
  'created_at',
  'updated_at',
] as const;
/** Every column of kg_edges: what a whole-row write names. */
export const EDGE_TABLE_COLUMNS = ['tenant_id', ...EDGE_COLUMNS] as const;
export const EDGE_SORTABLE = ['created_at', 'updated_at', 'rel_type'] as const;

/** The API view of a row (never its tenant_id). */
export function edgeView(row: EdgeRow): EdgeView {
  const { edge_id, from_label, from_id, rel_type, to_label, to_id, created_at, updated_at } = row;
  return {
    edge_id,
    from_label,
    from_id,
    rel_type,
    to_label,
    to_id,
    properties: parseJson(row.properties),
    created_at,
    updated_at,
  };
}

/** An edge's natural key (its unique constraint besides edge_id). */
export function edgeKey(tenant: string, e: PreparedEdge) {
  return {
    tenant_id: tenant,
    from_label: e.fromLabel,
    from_id: e.fromId,
    rel_type: e.relType,
    to_label: e.toLabel,
    to_id: e.toId,
  };
}

/** A new edge id: a UUID version 7 (RFC 9562: 48-bit millisecond time, then random bits), so ids
 * written together sort together and a bulk load appends to the edge_id index instead of writing all
 * over it (ADR 0026). Still a UUID to clients. */
export function newEdgeId(nowMs = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, variant bits already 10xx
  return `${edgeIdTime(nowMs)}-7${random.slice(15)}`;
}

/** The first two groups of a version-7 id: the 48-bit millisecond time in hex (`xxxxxxxx-xxxx`). */
export function edgeIdTime(nowMs: number): string {
  const ts = nowMs.toString(16).padStart(12, '0').slice(-12);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}`;
}

/** A new kg_edges row (fresh edge_id) with the given properties. */
export function newEdgeRow(
  tenant: string,
  e: PreparedEdge,
  properties: Record<string, unknown>,
  now: string,
): Selectable<EdgesTable> {
  const key = edgeKey(tenant, e);
  return {
    edge_id: newEdgeId(),
    ...key,
    properties: JSON.stringify(properties),
    created_at: now,
    updated_at: now,
  };
}

async function entityExists({ db }: GraphDb, tenant: string, label: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('kg_entities')
    .select('entity_id')
    .where((eb) => eb.and({ tenant_id: tenant, label, entity_id: id }))
    .executeTakeFirst();
  return row !== undefined;
}

/** POST /edges: both endpoints must exist (422 naming the missing one); a duplicate is a 409. */
export async function insertEdge(
  q: GraphDb,
  tenant: string,
  e: PreparedEdge,
  now: string,
): Promise<EdgeView> {
  const issues = [];
  if (!(await entityExists(q, tenant, e.fromLabel, e.fromId)))
    issues.push({
      loc: ['body', 'from_id'],
      msg: `${e.fromLabel} ${e.fromId} does not exist`,
      type: 'not_found',
    });
  if (!(await entityExists(q, tenant, e.toLabel, e.toId)))
    issues.push({ loc: ['body', 'to_id'], msg: `${e.toLabel} ${e.toId} does not exist`, type: 'not_found' });
  if (issues.length > 0) throw new ValidationError(issues);
  const dup = await q.db
    .selectFrom('kg_edges')
    .select('edge_id')
    .where((eb) => eb.and(edgeKey(tenant, e)))
    .executeTakeFirst();
  if (dup) throw new ConflictError('This edge already exists', 'edge_exists');
  const row = newEdgeRow(tenant, e, e.properties, now);
  await q.db.insertInto('kg_edges').values(row).execute();
  return edgeView(row);
}

export interface EdgeFilter {
  direction: 'out' | 'in' | 'both';
  relType?: string;
}

/** Edges touching an entity, one page. */
export async function listEdgesOf(
  { db }: GraphDb,
  tenant: string,
  label: string,
  id: string,
  filter: EdgeFilter,
  params: PageParams<(typeof EDGE_SORTABLE)[number]>,
): Promise<{ rows: EdgeView[]; total: number }> {
  let query = db
    .selectFrom('kg_edges')
    .select(EDGE_COLUMNS)
    .where('tenant_id', '=', tenant)
    .where((eb) => {
      const sides = [];
      if (filter.direction !== 'in')
        sides.push(eb.and([eb('from_label', '=', label), eb('from_id', '=', id)]));
      if (filter.direction !== 'out') sides.push(eb.and([eb('to_label', '=', label), eb('to_id', '=', id)]));
      return eb.or(sides);
    });
  if (filter.relType) query = query.where('rel_type', '=', filter.relType);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'edge_id' });
  return { rows: rows.map(edgeView), total };
}

export async function deleteEdge({ db }: GraphDb, tenant: string, edgeId: string): Promise<void> {
  const r = await db
    .deleteFrom('kg_edges')
    .where((eb) => eb.and({ tenant_id: tenant, edge_id: edgeId }))
    .executeTakeFirst();
  if (r.numDeletedRows === 0n) throw new NotFoundError('Edge not found', 'edge_not_found');
}
