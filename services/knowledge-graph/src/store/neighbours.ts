import type { NodeRef } from '../domain/traversal';
import { entityView, type EntityView } from './entities';
import type { GraphDb } from './schema';
import { chunks, groupBy, padList } from './sql';

export interface Neighbour {
  via: NodeRef;
  rel_type: string;
  direction: 'out' | 'in';
  entity: EntityView;
}

/** Entities one edge away from any of `nodes`, in either direction, optionally only some labels. */
export async function neighbours(
  { db }: GraphDb,
  tenant: string,
  nodes: readonly NodeRef[],
  labels?: readonly string[],
): Promise<Neighbour[]> {
  const out: Neighbour[] = [];
  const wanted = labels ? new Set(labels) : undefined;
  for (const [label, group] of groupBy(nodes, (n) => n.label)) {
    for (const part of chunks([...new Set(group.map((n) => n.id))], 256)) {
      for (const direction of ['out', 'in'] as const) {
        const self =
          direction === 'out'
            ? ({ label: 'e.from_label', id: 'e.from_id' } as const)
            : ({ label: 'e.to_label', id: 'e.to_id' } as const);
        const other =
          direction === 'out'
            ? ({ label: 'e.to_label', id: 'e.to_id' } as const)
            : ({ label: 'e.from_label', id: 'e.from_id' } as const);
        const rows = await db
          .selectFrom('kg_edges as e')
          .innerJoin('kg_entities as n', (j) =>
            j
              .onRef('n.tenant_id', '=', 'e.tenant_id')
              .onRef('n.label', '=', other.label)
              .onRef('n.entity_id', '=', other.id),
          )
          .select([
            `${self.id} as src`,
            'e.rel_type',
            'n.label',
            'n.entity_id',
            'n.properties',
            'n.created_at',
            'n.updated_at',
          ])
          .where('e.tenant_id', '=', tenant)
          .where(self.label, '=', label)
          .where(self.id, 'in', padList(part))
          .execute();
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
