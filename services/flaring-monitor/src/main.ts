#!/usr/bin/env node
import { runService } from '@aegis/common';
import { knowledgeGraphClientOf } from '@aegis/graph-client';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { FLARING_MIGRATIONS } from './store/migrations';
import { startSweepOfKit } from './sweep/wiring';
import { seedDemoFlareEvents } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: FLARING_MIGRATIONS,
  build: async (kit) => {
    if (kit.config.seedDemoData) await seedDemoFlareEvents(kit.store, kit.logger, Date.now());
    const kg = knowledgeGraphClientOf(kit.config, kit.logger);
    startSweepOfKit(kit, kg);
    return createApp({ ...kit, kg });
  },
});
