import type { Dialect, Queryable, SqlValue } from '@aegis/common';
import type { Direction, NodeRef, WalkRow } from '../domain/traversal';
import { edgeView, EDGE_COLUMNS, type EdgeRow, type EdgeView } from './edges';
import { chunks, inList, parseJson, placeholders } from './sql';

/**
 * Traversals run in the database as recursive CTEs. Cycle safety: every row carries its hop count,
 * the recursion stops at the depth cap, and UNION (not UNION ALL) drops a row already produced, so a
 * cycle adds at most one row per node and depth. The final SELECT keeps each node's shortest depth.
 */

function stepSql(direction: Direction): { join: string; nextLabel: string; nextId: string } {
  if (direction === 'out')
    return {
      join: 'e.from_label = w.label AND e.from_id = w.entity_id',
      nextLabel: 'e.to_label',
      nextId: 'e.to_id',
    };
  if (direction === 'in')
    return {
      join: 'e.to_label = w.label AND e.to_id = w.entity_id',
      nextLabel: 'e.from_label',
      nextId: 'e.from_id',
    };
  const fromSide = 'e.from_label = w.label AND e.from_id = w.entity_id';
  return {
    join: `((${fromSide}) OR (e.to_label = w.label AND e.to_id = w.entity_id))`,
    nextLabel: `CASE WHEN ${fromSide} THEN e.to_label ELSE e.from_label END`,
    nextId: `CASE WHEN ${fromSide} THEN e.to_id ELSE e.from_id END`,
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
): { sql: string; params: SqlValue[] } {
  const s = stepSql(direction);
  const innerLimit = dialect === 'sqlite' ? ' LIMIT ?' : '';
  return {
    sql: `WITH RECURSIVE walk(label, entity_id, depth) AS (
  SELECT CAST(? AS TEXT), CAST(? AS TEXT), 0
  UNION
  SELECT ${s.nextLabel}, ${s.nextId}, w.depth + 1
  FROM walk w JOIN kg_edges e ON e.tenant_id = ? AND ${s.join}
  WHERE w.depth < ?${innerLimit}
), capped AS (
  SELECT label, entity_id, depth FROM walk LIMIT ?
), reached AS (
  SELECT label, entity_id, MIN(depth) AS depth FROM capped GROUP BY label, entity_id
)`,
    params: [start.label, start.id, tenant, depth, ...(dialect === 'sqlite' ? [maxRows] : []), maxRows],
  };
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
  db: Queryable,
  tenant: string,
  start: NodeRef,
  depth: number,
  direction: Direction,
  limit: number,
  maxWalkRows = MAX_WALK_ROWS,
): Promise<{ nodes: ReachedNode[]; more: boolean }> {
  const cte = walkCte(db.dialect, direction, tenant, start, depth, maxWalkRows);
  const rows = await db.all<{
    label: string;
    entity_id: string;
    depth: number;
    properties: string;
    walked: number;
  }>(
    `${cte.sql}
SELECT r.label, r.entity_id, r.depth, n.properties, (SELECT COUNT(*) FROM capped) AS walked
FROM reached r JOIN kg_entities n ON n.tenant_id = ? AND n.label = r.label AND n.entity_id = r.entity_id
ORDER BY r.depth, r.label, r.entity_id LIMIT ?`,
    [...cte.params, tenant, limit + 1],
  );
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
  db: Queryable,
  tenant: string,
  nodes: readonly NodeRef[],
): Promise<EdgeView[]> {
  const set = new Set(nodes.map((n) => `${n.label}\u0000${n.id}`));
  const byLabel = new Map<string, string[]>();
  for (const n of nodes) byLabel.set(n.label, [...(byLabel.get(n.label) ?? []), n.id]);
  const out: EdgeView[] = [];
  for (const [label, ids] of byLabel) {
    for (const part of chunks(ids, 512)) {
      const list = inList(part);
      const rows = await db.all<EdgeRow>(
        `SELECT ${EDGE_COLUMNS} FROM kg_edges WHERE tenant_id = ? AND from_label = ? AND from_id IN (${list.sql})`,
        [tenant, label, ...list.params],
      );
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
  db: Queryable,
  tenant: string,
  depth: number,
  projectId: string | undefined,
): Promise<{ roots: NodeRef[]; rows: WalkRow[]; info: Map<string, Record<string, unknown>> }> {
  const rootFilter = projectId === undefined ? '' : ' AND entity_id = ?';
  const rootParams: SqlValue[] = projectId === undefined ? [] : [projectId];
  const rows = await db.all<{
    root_id: string;
    label: string;
    entity_id: string;
    depth: number;
    parent_label: string | null;
    parent_id: string | null;
    properties: string | null;
  }>(
    `WITH RECURSIVE walk(root_id, label, entity_id, depth, parent_label, parent_id) AS (
  SELECT entity_id, label, entity_id, 0, CAST(NULL AS TEXT), CAST(NULL AS TEXT)
  FROM kg_entities WHERE tenant_id = ? AND label = 'InfrastructureProject'${rootFilter}
  UNION
  SELECT w.root_id, e.to_label, e.to_id, w.depth + 1, w.label, w.entity_id
  FROM walk w JOIN kg_edges e ON e.tenant_id = ? AND e.from_label = w.label AND e.from_id = w.entity_id
  WHERE w.depth < ? AND w.label <> 'Well' AND e.to_label IN (${placeholders(TREE_LABELS.length)})
)
SELECT w.root_id, w.label, w.entity_id, w.depth, w.parent_label, w.parent_id, n.properties
FROM walk w JOIN kg_entities n ON n.tenant_id = ? AND n.label = w.label AND n.entity_id = w.entity_id
ORDER BY w.root_id, w.depth, w.label, w.entity_id`,
    [tenant, ...rootParams, tenant, depth, ...TREE_LABELS, tenant],
  );
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
