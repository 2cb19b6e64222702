#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { KG_MIGRATIONS } from './store/migrations';
import { startGraphJobs } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: KG_MIGRATIONS,
  build: async (kit) => {
    await startGraphJobs(kit);
    return createApp({ ...kit, bodyLimitBytes: kit.config.bodyLimitBytes });
  },
});
