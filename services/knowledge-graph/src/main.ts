#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { DirectImports, GRAPH_SQLITE_PAGE_SIZE } from './store/direct-import';
import { KG_MIGRATIONS } from './store/migrations';
import { startGraphJobs } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: KG_MIGRATIONS,
  sqlitePageSize: GRAPH_SQLITE_PAGE_SIZE,
  build: async (kit) => {
    // A SQLite file store applies imports as they arrive; every write then goes through its store.
    const imports = await DirectImports.open(kit.store, kit.config.databaseUrl, {
      logger: kit.logger,
      idleMs: kit.config.importIdleMs,
    });
    if (imports) kit.onClose(() => imports.close());
    const store = imports?.store ?? kit.store;
    await startGraphJobs({ ...kit, store });
    return createApp({ ...kit, store, imports, bodyLimitBytes: kit.config.bodyLimitBytes });
  },
});
