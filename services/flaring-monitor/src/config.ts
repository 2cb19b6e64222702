import {
  authClientEnv,
  authClientSettings,
  configLoader,
  graphClientEnv,
  graphClientSettings,
  envBool,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import type { z } from 'zod';
import { eventsEnv, eventsSettings } from './events/config';

export const SERVICE_NAME = 'flaring-monitor';

/** The tenant the local demo data goes to (the knowledge graph seeds the same one). */
export const DEMO_TENANT = 'default';

export type Config = z.output<typeof configSchema>;

/** The flaring-monitor environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    ...authClientEnv,
    ...eventsEnv,
    ...graphClientEnv,
    SEED_DEMO_DATA: envBool(true),
  })
  .transform((e) => ({
    ...serviceSettings(e),
    /** Load the demo scenario's flare events into tenant `default` when it has none (local mode only),
     * the same scenario the knowledge graph seeds its wells and authorisations from. */
    seedDemoData: !serviceSettings(e).production && e.SEED_DEMO_DATA,
    ...authClientSettings(e),
    ...eventsSettings(e),
    authUrl: e.AUTH_URL.replace(/\/$/, ''),
    ...graphClientSettings(e),
  }));

/** Parses the flaring-monitor environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
