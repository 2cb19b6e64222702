import {
  authClientEnv,
  authClientSettings,
  configLoader,
  envInt,
  envString,
  invalidEnv,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import type { z } from 'zod';
import { WORKING_MEMORY_TTL_SECONDS } from './domain/working-memory';

export const SERVICE_NAME = 'memory';

export type Config = z.output<typeof configSchema>;

/** The memory environment and the configuration it parses into. HOST stays the kit's loopback
 * default: the service is internal (no gateway routes), so only its own host's processes reach it
 * unless a deployment sets HOST (the manifests do, for pods). */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    ...authClientEnv,
    /** Working memory in Redis (one hash per conversation) when set; the service's store otherwise. */
    REDIS_URL: envString(''),
    /** How long a conversation's working memory lives after its last access (spec §8: 24 h). */
    WORKING_MEMORY_TTL_SECONDS: envInt(WORKING_MEMORY_TTL_SECONDS, 1, 30 * 86_400),
    /** How often expired working memory is deleted from the store (embedded backend); 0 turns it off. */
    WORKING_MEMORY_PURGE_INTERVAL_MS: envInt(300_000, 0, 86_400_000),
    /** An OpenAI-compatible embeddings API (`<url>/embeddings`); unset → full-text ranking only. */
    EMBEDDINGS_URL: envString(''),
    EMBEDDINGS_MODEL: envString(''),
    EMBEDDINGS_API_KEY: envString(''),
    EMBEDDINGS_TIMEOUT_MS: envInt(10_000, 100, 120_000),
  })
  .transform((e, ctx) => {
    const embeddingsUrl = e.EMBEDDINGS_URL.replace(/\/$/, '');
    if (embeddingsUrl && !/^https?:\/\//.test(embeddingsUrl))
      return invalidEnv(ctx, 'EMBEDDINGS_URL', 'must be an http(s) URL');
    if (embeddingsUrl && !e.EMBEDDINGS_MODEL)
      return invalidEnv(ctx, 'EMBEDDINGS_MODEL', 'is required when EMBEDDINGS_URL is set');
    if (e.REDIS_URL && !/^rediss?:\/\//.test(e.REDIS_URL))
      return invalidEnv(ctx, 'REDIS_URL', 'must be a redis:// or rediss:// URL');
    return {
      ...serviceSettings(e),
      ...authClientSettings(e),
      redisUrl: e.REDIS_URL || undefined,
      workingMemoryTtlSeconds: e.WORKING_MEMORY_TTL_SECONDS,
      workingMemoryPurgeIntervalMs: e.WORKING_MEMORY_PURGE_INTERVAL_MS,
      embeddings: embeddingsUrl
        ? {
            url: embeddingsUrl,
            model: e.EMBEDDINGS_MODEL,
            apiKey: e.EMBEDDINGS_API_KEY || undefined,
            timeoutMs: e.EMBEDDINGS_TIMEOUT_MS,
          }
        : undefined,
    };
  });

/** Parses the memory environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
