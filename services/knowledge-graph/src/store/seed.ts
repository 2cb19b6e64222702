import { demoScenario } from '@aegis/demo';
import { mergeProduction } from '@aegis/graph-client';
import { prepareEdge, prepareEntity, type EntityItem, type PreparedEntity } from '../domain/items';
import { applyItems, type ApplyCounts } from './apply';
import { existingProperties } from './entities';
import type { GraphStore } from './schema';

/** Loads (upserts) the demo scenario of @aegis/demo into a tenant in one transaction: its entities
 * and edges, and each well's monthly production merged by period into what the well already has, as
 * `PUT /entities/Well/{id}/production` does. Running it again changes nothing but `updated_at`. */
export async function seedDemoData(
  store: GraphStore,
  tenant: string,
  anchor: string,
  now: string,
): Promise<ApplyCounts> {
  const data = demoScenario(anchor);
  const production = new Map(data.production.map((p) => [p.well_id, p.records]));
  const edges = data.edges.map((item, i) => ({ edge: prepareEdge(item), loc: ['seed', 'edges', i] }));
  return store.transaction(async (tx) => {
    const stored = await existingProperties(tx, tenant, 'Well', [...production.keys()]);
    const withProduction = (item: EntityItem): EntityItem => {
      const records = item.label === 'Well' ? production.get(item.entity_id ?? '') : undefined;
      if (!records) return item;
      const merged = mergeProduction(stored.get(item.entity_id ?? '')?.production, records);
      return { ...item, properties: { ...item.properties, production: merged } };
    };
    const entities: PreparedEntity[] = data.entities.map((item, i) => {
      const r = prepareEntity(withProduction(item), ['seed', 'entities', i]);
      if (!r.ok) throw new Error(`Demo entity ${i} is invalid: ${JSON.stringify(r.issues)}`);
      return r.value;
    });
    return applyItems(tx, tenant, entities, edges, now);
  });
}
