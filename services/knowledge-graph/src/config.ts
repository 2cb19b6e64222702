import {
  authClientEnv,
  authClientSettings,
  configLoader,
  envBool,
  envInt,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import type { z } from 'zod';

export const SERVICE_NAME = 'knowledge-graph';
export const DEMO_TENANT = 'default';

export type Config = z.output<typeof configSchema>;

/** The knowledge-graph environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    /** Bulk and import batches carry up to 5000 items. */
    BODY_LIMIT_BYTES: envInt(16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    ...authClientEnv,
    SEED_DEMO_DATA: envBool(true),
    IMPORT_PURGE_INTERVAL_MS: envInt(3_600_000, 1000, 86_400_000),
    /** SQLite file stores: an applying import that receives nothing for this long is rolled back. */
    IMPORT_IDLE_MS: envInt(30_000, 100, 3_600_000),
  })
  .transform((e) => {
    const service = serviceSettings(e);
    return {
      ...service,
      ...authClientSettings(e),
      /** Load the demo data set into tenant `default` when the store is empty (local mode only). */
      seedDemoData: !service.production && e.SEED_DEMO_DATA,
      importPurgeIntervalMs: e.IMPORT_PURGE_INTERVAL_MS,
      importIdleMs: e.IMPORT_IDLE_MS,
    };
  });

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
