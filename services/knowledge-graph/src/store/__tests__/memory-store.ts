import { openStore, type Store } from '@aegis/common';
import { KG_MIGRATIONS } from '../migrations';
import type { GraphDatabase } from '../schema';

/** A migrated graph store at `url()` for the suite (opened before all, closed after all). */
export function migratedGraphStore(url: () => string): () => Store<GraphDatabase> {
  let store: Store<GraphDatabase> | undefined;
  beforeAll(async () => {
    store = await openStore<GraphDatabase>({ url: url() });
    await store.migrate('knowledge-graph', KG_MIGRATIONS);
  });
  afterAll(async () => {
    await store?.close();
  });
  return () => store!;
}

/** A migrated in-memory SQLite graph store for the suite. */
export const memoryGraphStore = (): (() => Store<GraphDatabase>) =>
  migratedGraphStore(() => 'sqlite::memory:');
