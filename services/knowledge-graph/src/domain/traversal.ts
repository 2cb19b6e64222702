/** Pure graph logic: a reference breadth-first search (the specification the recursive SQL must
 * match, used by the tests) and the impact-tree assembly from walked rows. */

export type Direction = 'out' | 'in' | 'both';

export interface NodeRef {
  label: string;
  id: string;
}

export interface EdgeRef {
  from: NodeRef;
  to: NodeRef;
}

export const nodeKey = (n: NodeRef) => `${n.label}\u0000${n.id}`;

/** Every node within `depth` hops of `start` with its shortest hop count (cycles and self-loops safe). */
export function referenceReach(
  edges: readonly EdgeRef[],
  start: NodeRef,
  depth: number,
  direction: Direction,
): Map<string, number> {
  const adjacency = new Map<string, NodeRef[]>();
  const add = (a: NodeRef, b: NodeRef) => {
    const k = nodeKey(a);
    const list = adjacency.get(k) ?? [];
    list.push(b);
    adjacency.set(k, list);
  };
  for (const e of edges) {
    if (direction !== 'in') add(e.from, e.to);
    if (direction !== 'out') add(e.to, e.from);
  }
  const seen = new Map<string, number>([[nodeKey(start), 0]]);
  let frontier: NodeRef[] = [start];
  for (let d = 1; d <= depth && frontier.length > 0; d += 1) {
    const next: NodeRef[] = [];
    for (const n of frontier) {
      for (const m of adjacency.get(nodeKey(n)) ?? []) {
        const k = nodeKey(m);
        if (!seen.has(k)) {
          seen.set(k, d);
          next.push(m);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

/** One row of a walk from a root: the node, its hop count and the node it was reached from. */
export interface WalkRow {
  root: NodeRef;
  node: NodeRef;
  depth: number;
  parent: NodeRef | null;
}

export interface TreeNode {
  label: string;
  entity_id: string;
  name: string | null;
  status: string | null;
  depth: number;
  children: TreeNode[];
  rollup: { wells: number; by_status: Record<string, number> };
}

export interface NodeInfo {
  name: string | null;
  status: string | null;
}

const compareKey = (a: NodeRef, b: NodeRef) =>
  nodeKey(a) < nodeKey(b) ? -1 : nodeKey(a) > nodeKey(b) ? 1 : 0;

/**
 * Builds one tree per root from walk rows: each node hangs under one parent at its shortest depth
 * (the smallest parent key, so the result is deterministic) and appears once per root. Every node
 * carries the roll-up of the Wells beneath it (itself included): their count and count per status.
 */
export function buildImpactTrees(
  roots: readonly NodeRef[],
  rows: readonly WalkRow[],
  info: (n: NodeRef) => NodeInfo,
): TreeNode[] {
  return roots.map((root) => {
    const rootKey = nodeKey(root);
    const best = new Map<string, { node: NodeRef; depth: number; parent: NodeRef | null }>();
    for (const row of rows) {
      if (nodeKey(row.root) !== rootKey) continue;
      const k = nodeKey(row.node);
      const cur = best.get(k);
      const better =
        !cur ||
        row.depth < cur.depth ||
        (row.depth === cur.depth && row.parent && cur.parent && compareKey(row.parent, cur.parent) < 0);
      if (better) best.set(k, { node: row.node, depth: row.depth, parent: row.parent });
    }
    best.set(rootKey, { node: root, depth: 0, parent: null });
    const children = new Map<string, NodeRef[]>();
    for (const [k, v] of best) {
      if (k === rootKey || !v.parent) continue;
      const pk = nodeKey(v.parent);
      if (!best.has(pk)) continue;
      const list = children.get(pk) ?? [];
      list.push(v.node);
      children.set(pk, list);
    }
    const build = (n: NodeRef, depth: number): TreeNode => {
      const meta = info(n);
      const kids = (children.get(nodeKey(n)) ?? []).sort(compareKey).map((c) => build(c, depth + 1));
      const byStatus: Record<string, number> = {};
      let wells = 0;
      if (n.label === 'Well') {
        wells = 1;
        const s = meta.status ?? 'unknown';
        byStatus[s] = 1;
      }
      for (const k of kids) {
        wells += k.rollup.wells;
        for (const [s, c] of Object.entries(k.rollup.by_status)) byStatus[s] = (byStatus[s] ?? 0) + c;
      }
      return {
        label: n.label,
        entity_id: n.id,
        name: meta.name,
        status: meta.status,
        depth,
        children: kids,
        rollup: { wells, by_status: byStatus },
      };
    };
    return build(root, 0);
  });
}
