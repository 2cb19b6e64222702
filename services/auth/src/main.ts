#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { AUTH_MIGRATIONS } from './store/migrations';
import { startAuthCore } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: AUTH_MIGRATIONS,
  build: async (kit) =>
    createApp({
      ...kit,
      core: await startAuthCore(kit),
      tokenTtlSec: kit.config.tokenTtlSec,
      cookieSecure: kit.config.cookieSecure,
      cookieSameSite: kit.config.cookieSameSite,
      bodyLimitBytes: kit.config.bodyLimitBytes,
    }),
});
