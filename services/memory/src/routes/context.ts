import type { Logger } from '@aegis/common';
import type { WorkingMemoryBackend } from '../domain/working-memory';
import type { Embedder } from '../embeddings/client';
import type { MemoryStore } from '../store/schema';

/** What the route files receive. */
export interface RouteDeps {
  store: MemoryStore;
  workingMemory: WorkingMemoryBackend;
  embedder?: Embedder;
  logger: Logger;
  now: () => number;
}
