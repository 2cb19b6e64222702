import type { Queryable } from '@aegis/common';
import type { NodeRef } from '../domain/traversal';
import { entityView, type EntityRow, type EntityView } from './entities';
import { chunks, inList } from './sql';

export interface Neighbour {
  via: NodeRef;
  rel_type: string;
  direction: 'out' | 'in';
  entity: EntityView;
}

/** Entities one edge away from any of `nodes`, in either direction, optionally only some labels. */
export async function neighbours(
  db: Queryable,
  tenant: string,
  nodes: readonly NodeRef[],
  labels?: readonly string[],
): Promise<Neighbour[]> {
  const out: Neighbour[] = [];
  const byLabel = new Map<string, string[]>();
  for (const n of nodes) byLabel.set(n.label, [...new Set([...(byLabel.get(n.label) ?? []), n.id])]);
  const wanted = labels ? new Set(labels) : undefined;
  for (const [label, ids] of byLabel) {
    for (const part of chunks(ids, 256)) {
      const list = inList(part);
      for (const direction of ['out', 'in'] as const) {
        const [self, other] = direction === 'out' ? ['from', 'to'] : ['to', 'from'];
        const rows = await db.all<EntityRow & { src: string; rel_type: string }>(
          `SELECT e.${self}_id AS src, e.rel_type, n.label, n.entity_id, n.properties, n.created_at, n.updated_at
FROM kg_edges e JOIN kg_entities n ON n.tenant_id = e.tenant_id AND n.label = e.${other}_label AND n.entity_id = e.${other}_id
WHERE e.tenant_id = ? AND e.${self}_label = ? AND e.${self}_id IN (${list.sql})`,
          [tenant, label, ...list.params],
        );
        for (const r of rows) {
          if (wanted && !wanted.has(r.label)) continue;
          out.push({ via: { label, id: r.src }, rel_type: r.rel_type, direction, entity: entityView(r) });
        }
      }
    }
  }
  return out;
}

/** Distinct entities among neighbours, sorted by id. */
export function distinctEntities(list: readonly Neighbour[], label?: string): EntityView[] {
  const seen = new Map<string, EntityView>();
  for (const n of list) {
    if (label && n.entity.label !== label) continue;
    seen.set(`${n.entity.label}\u0000${n.entity.entity_id}`, n.entity);
  }
  return [...seen.values()].sort((a, b) =>
    a.entity_id < b.entity_id ? -1 : a.entity_id > b.entity_id ? 1 : 0,
  );
}
