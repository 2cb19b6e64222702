export { createApp, type AppDeps } from './app';
export { loadConfig, SERVICE_NAME, type Config } from './config';
export { MEMORY_MIGRATIONS } from './store/migrations';
export type { MemoryDatabase, MemoryDb, MemoryStore } from './store/schema';
export { OPENAPI_INFO } from './routes/openapi';
export {
  WORKING_MEMORY_MAX_BYTES,
  WORKING_MEMORY_TTL_SECONDS,
  serializedBytes,
  mergeFields,
  type FieldMap,
  type FieldPatch,
  type JsonValue,
  type WorkingMemory,
  type WorkingMemoryBackend,
} from './domain/working-memory';
export { createStoreBackend } from './working-memory/store-backend';
export { createRedisBackend } from './working-memory/redis-backend';
export { createEmbedder, type Embedder, type EmbeddingsSettings } from './embeddings/client';
export type { Episode } from './store/episodes';
export { RANKINGS, type Ranking } from './episodic/episodes';
export * from './client';
