import {
  authClientEnv,
  authClientSettings,
  envBool,
  envInt,
  envString,
  loadEnv,
  serviceEnv,
} from '@aegis/common';
import { z } from 'zod';

export const SERVICE_NAME = 'knowledge-graph';
export const DEMO_TENANT = 'default';

const schema = z.object({
  NODE_ENV: envString('development'),
  ...serviceEnv(8003, 'sqlite:.data/knowledge-graph.db'),
  ...authClientEnv,
  SEED_DEMO_DATA: envBool(true),
  DRAIN_TIMEOUT_MS: envInt(10_000, 0, 300_000),
  /** Bulk and import batches carry up to 5000 items. */
  BODY_LIMIT_BYTES: envInt(16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  IMPORT_PURGE_INTERVAL_MS: envInt(3_600_000, 1000, 86_400_000),
});

export interface Config {
  nodeEnv: string;
  production: boolean;
  host: string;
  port: number;
  adminPort: number;
  databaseUrl: string;
  logLevel: string;
  jwksUrl: string;
  revocationsUrl: string;
  revocationPollMs: number;
  /** Load the demo data set into tenant `default` when the store is empty (local mode only). */
  seedDemoData: boolean;
  drainTimeoutMs: number;
  bodyLimitBytes: number;
  importPurgeIntervalMs: number;
}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  const e = loadEnv(schema, env);
  const production = e.NODE_ENV === 'production';
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    adminPort: e.ADMIN_PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    ...authClientSettings(e),
    seedDemoData: !production && e.SEED_DEMO_DATA,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    importPurgeIntervalMs: e.IMPORT_PURGE_INTERVAL_MS,
  });
}
