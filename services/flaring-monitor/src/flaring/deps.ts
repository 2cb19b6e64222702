import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type { FlaringStore } from '../store/schema';

/** What the flaring functions need: the store, the knowledge graph and the clock (epoch ms). */
export interface FlaringDeps {
  store: FlaringStore;
  kg: KnowledgeGraphClient;
  now: () => number;
}
