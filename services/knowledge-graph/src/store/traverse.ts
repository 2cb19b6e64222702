import { sql, type Dialect, type RawBuilder } from '@aegis/common';
import type { Direction, NodeRef, WalkRow } from '../domain/traversal';
import { edgeView, EDGE_COLUMNS, type EdgeView } from './edges';
import type { GraphDb } from './schema';
import { chunks, groupBy, padList, parseJson } from './sql';

/**
 * Traversals run in the database as recursive CTEs. Cycle safety: every row carries its hop count,
 * the recursion stops at the depth cap, and UNION (not UNION ALL) drops a row already produced, so a
 * cycle adds at most one row per node and depth. The final SELECT keeps each node's shortest depth.
 */

const FROM_SIDE = sql`e.from_label = w.label AND e.from_id = w.entity_id`;
const TO_SIDE = sql`e.to_label = w.label AND e.to_id = w.entity_id`;

function stepSql(direction: Direction): {
  join: RawBuilder<unknown>;
  nextLabel: RawBuilder<unknown>;
  nextId: RawBuilder<unknown>;
} {
  if (direction === 'out') return { join: FROM_SIDE, nextLabel: sql`e.to_label`, nextId: sql`e.to_id` };
  if (direction === 'in') return { join: TO_SIDE, nextLabel: sql`e.from_label`, nextId: sql`e.from_id` };
  return {
    join: sql`((${FROM_SIDE}) OR (${TO_SIDE}))`,
    nextLabel: sql`CASE WHEN ${FROM_SIDE} THEN e.to_label ELSE e.from_label END`,
    nextId: sql`CASE WHEN ${FROM_SIDE} THEN e.to_id ELSE e.from_id END`,
  };
}

/** Work bound of one walk: rows the recursion may produce before it stops (the answer is then
 * marked truncated). Protects the service from hub vertices that would reach most of the graph. */
export const MAX_WALK_ROWS = 20_000;

/**
 * `WITH RECURSIVE walk … capped … reached …` and its parameters. Both stores produce recursive rows
 * breadth-first (SQLite's queue is FIFO; PostgreSQL evaluates level by level), so the first `maxRows`
 * rows hold every node's shortest depth. SQLite stops the recursion with a LIMIT inside the CTE;
 * PostgreSQL computes a WITH query lazily, so the LIMIT on `capped` stops it there.
 */
export function walkCte(
  dialect: Dialect,
  direction: Direction,
  tenant: string,
  start: NodeRef,
  depth: number,
  maxRows: number,
): RawBuilder<unknown> {
  const s = stepSql(direction);
  const innerLimit = dialect === 'sqlite' ? sql` LIMIT ${maxRows}` : sql``;
  // Both ways on PostgreSQL: one index scan per side (LATERAL … UNION ALL) instead of the OR join,
  // which PostgreSQL runs as a BitmapOr plus a heap recheck of every edge (ADR 0026). A self-loop
  // then yields its node twice; the UNION of the walk keeps it once, as before. SQLite has no
  // LATERAL and plans the OR as two index lookups already.
  const step =
    dialect === 'postgres' && direction === 'both'
      ? sql`SELECT n.label, n.entity_id, w.depth + 1
  FROM walk w CROSS JOIN LATERAL (
    SELECT e.to_label AS label, e.to_id AS entity_id FROM kg_edges e
    WHERE e.tenant_id = ${tenant} AND ${FROM_SIDE}
    UNION ALL
    SELECT e.from_label, e.from_id FROM kg_edges e
    WHERE e.tenant_id = ${tenant} AND ${TO_SIDE}
  ) n
  WHERE w.depth < ${depth}`
      : sql`SELECT ${s.nextLabel}, ${s.nextId}, w.depth + 1
  FROM walk w JOIN kg_edges e ON e.tenant_id = ${tenant} AND ${s.join}
  WHERE w.depth < ${depth}${innerLimit}`;
  return sql`WITH RECURSIVE walk(label, entity_id, depth) AS (
  SELECT CAST(${start.label} AS TEXT), CAST(${start.id} AS TEXT), 0
  UNION
  ${step}
), capped AS (
  SELECT label, entity_id, depth FROM walk LIMIT ${maxRows}
), reached AS (
  SELECT label, entity_id, MIN(depth) AS depth FROM capped GROUP BY label, entity_id
)`;
}

export interface ReachedNode {
  label: string;
  entity_id: string;
  depth: number;
  properties: Record<string, unknown>;
}

/** Nodes within `depth` hops (existing entities only), nearest first, at most `limit`; `more` tells
 * whether there were more (or the walk hit `maxWalkRows`). */
export async function reach(
  { db, dialect }: GraphDb,
  tenant: string,
  start: NodeRef,
  depth: number,
  direction: Direction,
  limit: number,
  maxWalkRows = MAX_WALK_ROWS,
): Promise<{ nodes: ReachedNode[]; more: boolean }> {
  const cte = walkCte(dialect, direction, tenant, start, depth, maxWalkRows);
  const { rows } = await sql<{
    label: string;
    entity_id: string;
    depth: number;
    properties: string;
    walked: number;
  }>`${cte}
SELECT r.label, r.entity_id, r.depth, n.properties, (SELECT COUNT(*) FROM capped) AS walked
FROM reached r JOIN kg_entities n ON n.tenant_id = ${tenant} AND n.label = r.label AND n.entity_id = r.entity_id
ORDER BY r.depth, r.label, r.entity_id LIMIT ${limit + 1}`.execute(db);
  const more = rows.length > limit || (rows.length > 0 && Number(rows[0].walked) >= maxWalkRows);
  return {
    nodes: rows.slice(0, limit).map((r) => ({
      label: r.label,
      entity_id: r.entity_id,
      depth: Number(r.depth),
      properties: parseJson(r.properties),
    })),
    more,
  };
}

/** Edges whose both endpoints are among `nodes` (the induced sub-graph). */
export async function edgesAmong(
  { db }: GraphDb,
  tenant: string,
  nodes: readonly NodeRef[],
): Promise<EdgeView[]> {
  const set = new Set(nodes.map((n) => `${n.label}\u0000${n.id}`));
  const out: EdgeView[] = [];
  for (const [label, group] of groupBy(nodes, (n) => n.label)) {
    for (const part of chunks(
      group.map((n) => n.id),
      512,
    )) {
      const rows = await db
        .selectFrom('kg_edges')
        .select(EDGE_COLUMNS)
        .where((eb) => eb.and({ tenant_id: tenant, from_label: label }))
        .where('from_id', 'in', padList(part))
        .execute();
      for (const r of rows) if (set.has(`${r.to_label}\u0000${r.to_id}`)) out.push(edgeView(r));
    }
  }
  return out.sort((a, b) => (a.edge_id < b.edge_id ? -1 : 1));
}

/** Labels the impact tree descends through, from a project down to its wells. */
export const TREE_LABELS = [
  'InfrastructureProject',
  'Project',
  'PipelineRoute',
  'Pipeline',
  'Facility',
  'Wellpad',
  'Equipment',
  'Well',
] as const;

/** Outward walk from every InfrastructureProject (or one), through infrastructure labels, stopping at
 * wells: rows of (root, node, depth, parent). */
export async function treeWalk(
  { db }: GraphDb,
  tenant: string,
  depth: number,
  projectId: string | undefined,
): Promise<{ roots: NodeRef[]; rows: WalkRow[]; info: Map<string, Record<string, unknown>> }> {
  const rootFilter = projectId === undefined ? sql`` : sql` AND entity_id = ${projectId}`;
  const { rows } = await sql<{
    root_id: string;
    label: string;
    entity_id: string;
    depth: number;
    parent_label: string | null;
    parent_id: string | null;
    properties: string | null;
  }>`WITH RECURSIVE walk(root_id, label, entity_id, depth, parent_label, parent_id) AS (
  SELECT entity_id, label, entity_id, 0, CAST(NULL AS TEXT), CAST(NULL AS TEXT)
  FROM kg_entities WHERE tenant_id = ${tenant} AND label = 'InfrastructureProject'${rootFilter}
  UNION
  SELECT w.root_id, e.to_label, e.to_id, w.depth + 1, w.label, w.entity_id
  FROM walk w JOIN kg_edges e ON e.tenant_id = ${tenant} AND e.from_label = w.label AND e.from_id = w.entity_id
  WHERE w.depth < ${depth} AND w.label <> 'Well' AND e.to_label IN (${sql.join(TREE_LABELS)})
)
SELECT w.root_id, w.label, w.entity_id, w.depth, w.parent_label, w.parent_id, n.properties
FROM walk w JOIN kg_entities n ON n.tenant_id = ${tenant} AND n.label = w.label AND n.entity_id = w.entity_id
ORDER BY w.root_id, w.depth, w.label, w.entity_id`.execute(db);
  const roots: NodeRef[] = [];
  const walk: WalkRow[] = [];
  const info = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const node = { label: r.label, id: r.entity_id };
    info.set(`${r.label}\u0000${r.entity_id}`, parseJson(r.properties));
    const root = { label: 'InfrastructureProject', id: r.root_id };
    if (Number(r.depth) === 0) roots.push(root);
    else
      walk.push({
        root,
        node,
        depth: Number(r.depth),
        parent: r.parent_label && r.parent_id ? { label: r.parent_label, id: r.parent_id } : null,
      });
  }
  return { roots, rows: walk, info };
}
