#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { buildParts } from './parts';
import { SERVICE_MIGRATIONS } from './migrations';
import { appDeps, startOrchestration } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: SERVICE_MIGRATIONS,
  build: (kit) =>
    createApp(
      appDeps(kit, startOrchestration(kit, buildParts(kit.config, kit.logger, kit.metrics.registry))),
    ),
});
