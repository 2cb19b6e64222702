import type { ServiceKit } from '@aegis/common';
import type { Config } from './config';
import type { WorkingMemoryBackend } from './domain/working-memory';
import { createEmbedder, type Embedder } from './embeddings/client';
import type { MemoryStore } from './store/schema';
import { createRedisBackend } from './working-memory/redis-backend';
import { createStoreBackend } from './working-memory/store-backend';

/** The working-memory backend the configuration asks for: Redis when REDIS_URL is set (its own TTL),
 * the service's store otherwise (expired rows purged every WORKING_MEMORY_PURGE_INTERVAL_MS). Closed
 * at shutdown. */
export function workingMemoryOf(kit: ServiceKit<Config>): WorkingMemoryBackend {
  const { config } = kit;
  const ttlMs = config.workingMemoryTtlSeconds * 1000;
  if (config.redisUrl) {
    const backend = createRedisBackend({ url: config.redisUrl, ttlMs, logger: kit.logger });
    kit.onClose(() => backend.close());
    kit.logger.info({ backend: 'redis' }, 'Keeping working memory in Redis');
    return backend;
  }
  const backend = createStoreBackend({ store: kit.store as MemoryStore, ttlMs });
  if (config.workingMemoryPurgeIntervalMs > 0)
    kit.every('purge-working-memory', config.workingMemoryPurgeIntervalMs, async () => {
      const purged = await backend.purgeExpired();
      if (purged > 0) kit.logger.info({ purged }, 'Purged expired working memory');
    });
  return backend;
}

/** The embeddings client when EMBEDDINGS_URL is configured. */
export function embedderOf(kit: ServiceKit<Config>): Embedder | undefined {
  const settings = kit.config.embeddings;
  if (!settings) return undefined;
  kit.logger.info({ model: settings.model }, 'Ranking episodes by embeddings');
  return createEmbedder(settings);
}
