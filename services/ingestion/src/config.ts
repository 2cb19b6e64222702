import path from 'node:path';
import {
  authClientEnv,
  authClientSettings,
  configLoader,
  graphClientEnv,
  graphClientSettings,
  envInt,
  envString,
  serviceByName,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import type { z } from 'zod';

export const SERVICE_NAME = 'ingestion';

/** The bundled, generated RRC sample data sets (scripts/generate-rrc-samples.ts). */
export const DEFAULT_SAMPLES_DIR = path.resolve(__dirname, '..', 'data', 'rrc');

export type Config = z.output<typeof configSchema>;

/** The ingestion environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    DRAIN_TIMEOUT_MS: envInt(30_000, 0, 600_000),
    BODY_LIMIT_BYTES: envInt(8 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    ...authClientEnv,
    ...graphClientEnv,
    KG_COMMIT_TIMEOUT_MS: envInt(600_000, 100, 3_600_000),
    /** Where SCADA readings become flare events (the registry's local address by default). */
    FLARING_MONITOR_URL: envString(`http://127.0.0.1:${serviceByName('flaring-monitor').port}`),
    FLARING_MONITOR_TIMEOUT_MS: envInt(30_000, 100, 600_000),
    /** The service's own upload limit (the gateway's MAX_UPLOAD_BYTES defaults to the same 256 MiB). */
    MAX_UPLOAD_BYTES: envInt(256 * 1024 * 1024, 1024),
    MAX_RECORD_BYTES: envInt(64 * 1024, 256, 16 * 1024 * 1024),
    BATCH_MAX_ITEMS: envInt(5000, 7, 5000),
    MAX_JOB_ERRORS: envInt(1000, 1, 100_000),
    SAMPLES_DIR: envString(DEFAULT_SAMPLES_DIR),
    /** How long a job's lease outlives its runner's last renewal (renewed every third of it). */
    JOB_LEASE_MS: envInt(30_000, 300, 3_600_000),
  })
  .transform((e) => ({
    ...serviceSettings(e),
    ...authClientSettings(e),
    ...graphClientSettings(e),
    kgCommitTimeoutMs: e.KG_COMMIT_TIMEOUT_MS,
    flaringMonitorUrl: e.FLARING_MONITOR_URL.replace(/\/$/, ''),
    flaringMonitorTimeoutMs: e.FLARING_MONITOR_TIMEOUT_MS,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    maxRecordBytes: e.MAX_RECORD_BYTES,
    batchMaxItems: e.BATCH_MAX_ITEMS,
    maxJobErrors: e.MAX_JOB_ERRORS,
    samplesDir: e.SAMPLES_DIR,
    jobLeaseMs: e.JOB_LEASE_MS,
  }));

/** Parses the ingestion service environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
