import { prepareEdge, prepareEntity, type PreparedEntity } from '../domain/items';
import { buildDemoDataset } from '../domain/seed-data';
import { applyItems, type ApplyCounts } from './apply';
import type { GraphStore } from './schema';

/** Loads (upserts) the demo data set into a tenant in one transaction; running it again changes
 * nothing but `updated_at`. */
export async function seedDemoData(
  store: GraphStore,
  tenant: string,
  anchor: string,
  now: string,
): Promise<ApplyCounts> {
  const data = buildDemoDataset(anchor);
  const entities: PreparedEntity[] = data.entities.map((item, i) => {
    const r = prepareEntity(item, ['seed', 'entities', i]);
    if (!r.ok) throw new Error(`Demo entity ${i} is invalid: ${JSON.stringify(r.issues)}`);
    return r.value;
  });
  const edges = data.edges.map((item, i) => ({ edge: prepareEdge(item), loc: ['seed', 'edges', i] }));
  return store.transaction((tx) => applyItems(tx, tenant, entities, edges, now));
}
