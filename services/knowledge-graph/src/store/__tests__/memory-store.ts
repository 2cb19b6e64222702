import { openStore, type Store } from '@aegis/common';
import { KG_MIGRATIONS } from '../migrations';
import type { GraphDatabase } from '../schema';

/** A migrated in-memory SQLite graph store for the suite (opened before all, closed after all). */
export function memoryGraphStore(): () => Store<GraphDatabase> {
  let store: Store<GraphDatabase>;
  beforeAll(async () => {
    store = await openStore<GraphDatabase>({ url: 'sqlite::memory:' });
    await store.migrate('knowledge-graph', KG_MIGRATIONS);
  });
  afterAll(async () => {
    await store.close();
  });
  return () => store;
}
