import type { Logger } from '@aegis/common';
import type { WorkingMemoryBackend } from '../domain/working-memory';
import type { Embedder } from '../embeddings/client';
import type { MemoryStore } from '../store/schema';

/** What the route files receive. */
export interface RouteDeps {
  store: MemoryStore;
  workingMemory: WorkingMemoryBackend;
  embedder?: Embedder;
  /** Rank embeddings with pgvector (PostgreSQL with the extension enabled at start-up). */
  pgvector?: boolean;
  logger: Logger;
  now: () => number;
}
