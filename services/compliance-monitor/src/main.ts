#!/usr/bin/env node
import { runService } from '@aegis/common';
import { knowledgeGraphClientOf } from '@aegis/graph-client';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { COMPLIANCE_MIGRATIONS } from './store/migrations';
import { startComplianceSweep } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: COMPLIANCE_MIGRATIONS,
  build: (kit) => {
    const kg = knowledgeGraphClientOf(kit.config, kit.logger);
    startComplianceSweep(kit, kg);
    return createApp({ ...kit, kg });
  },
});
