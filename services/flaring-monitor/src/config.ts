import {
  authClientEnv,
  authClientSettings,
  configLoader,
  envInt,
  envString,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import type { z } from 'zod';
import { eventsEnv, eventsSettings } from './events/config';

export const SERVICE_NAME = 'flaring-monitor';

export type Config = z.output<typeof configSchema>;

/** The flaring-monitor environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    ...authClientEnv,
    ...eventsEnv,
    KNOWLEDGE_GRAPH_URL: envString('http://127.0.0.1:8003'),
    KG_TIMEOUT_MS: envInt(30_000, 100, 600_000),
  })
  .transform((e) => ({
    ...serviceSettings(e),
    ...authClientSettings(e),
    ...eventsSettings(e),
    authUrl: e.AUTH_URL.replace(/\/$/, ''),
    knowledgeGraphUrl: e.KNOWLEDGE_GRAPH_URL.replace(/\/$/, ''),
    kgTimeoutMs: e.KG_TIMEOUT_MS,
  }));

/** Parses the flaring-monitor environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
