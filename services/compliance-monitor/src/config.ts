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
  serviceIdentityEnv,
  serviceSettings,
} from '@aegis/common';
import type { z } from 'zod';

export const SERVICE_NAME = 'compliance-monitor';

export type Config = z.output<typeof configSchema>;

/** The compliance monitor's environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    ...authClientEnv,
    ...graphClientEnv,
    /** Where swept alerts are published (`POST /events`, event type `compliance_alert`). */
    FLARING_MONITOR_URL: envString(`http://127.0.0.1:${serviceByName('flaring-monitor').port}`),
    /** How often the sweep runs; 0 turns it off. */
    SWEEP_INTERVAL_MS: envInt(300_000, 0, 86_400_000),
    /** SERVICE_CLIENT_SECRET: the sweep reads the graph with the service's own token (ADR 0019). */
    ...serviceIdentityEnv,
  })
  .transform((e) => ({
    ...serviceSettings(e),
    ...authClientSettings(e),
    authUrl: e.AUTH_URL.replace(/\/$/, ''),
    ...graphClientSettings(e),
    flaringMonitorUrl: e.FLARING_MONITOR_URL.replace(/\/$/, ''),
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    serviceClientSecret: e.SERVICE_CLIENT_SECRET,
  }));

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
