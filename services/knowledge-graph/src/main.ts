#!/usr/bin/env node
import {
  createLifecycle,
  createLogger,
  exitOnStartupFailure,
  loadConfigOrExit,
  createMetrics,
  createServiceVerifier,
  openStore,
  serveService,
} from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { purgeStaleImports } from './store/imports';
import { migrateGraphStore, seedIfEmpty } from './wiring';

/** The only place that reads the environment, builds the dependencies and listens. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE_NAME, loadConfig, process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const store = await openStore({ url: config.databaseUrl, logger });
  await migrateGraphStore(store);
  if (config.seedDemoData) await seedIfEmpty(store, logger, Date.now());

  const metrics = createMetrics(SERVICE_NAME);
  const { verifier, close: closeVerifier } = createServiceVerifier(config, logger);
  const purge = setInterval(() => {
    purgeStaleImports(store, Date.now())
      .then((n) => n > 0 && logger.info({ imports: n }, 'Purged stale uncommitted imports'))
      .catch((err: unknown) => logger.error({ err }, 'Failed to purge stale imports'));
  }, config.importPurgeIntervalMs);
  purge.unref();

  const lifecycle = createLifecycle({
    logger,
    drainTimeoutMs: config.drainTimeoutMs,
    exit: true,
    cleanup: async () => {
      clearInterval(purge);
      closeVerifier();
      await store.close();
    },
  });
  const app = createApp({
    store,
    verifier,
    logger,
    metrics,
    bodyLimitBytes: config.bodyLimitBytes,
    isDraining: () => lifecycle.draining,
  });
  await serveService({
    app,
    lifecycle,
    metrics,
    host: config.host,
    port: config.port,
    adminPort: config.adminPort,
  });
}

main().catch(exitOnStartupFailure(SERVICE_NAME));
