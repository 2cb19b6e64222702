#!/usr/bin/env node
import http from 'node:http';
import {
  ConfigError,
  createAdminServer,
  createLifecycle,
  createLogger,
  createMetrics,
  createRevocationChecker,
  createTokenVerifier,
  openStore,
} from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME, type Config } from './config';
import { purgeStaleImports } from './store/imports';
import { migrateGraphStore, seedIfEmpty } from './wiring';

/** The only place that reads the environment, builds the dependencies and listens. */
async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${SERVICE_NAME}: ${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const store = await openStore({ url: config.databaseUrl, logger });
  await migrateGraphStore(store);
  if (config.seedDemoData) await seedIfEmpty(store, logger, Date.now());

  const metrics = createMetrics(SERVICE_NAME);
  const revocation = createRevocationChecker({
    url: config.revocationsUrl,
    pollIntervalMs: config.revocationPollMs,
    logger,
  });
  const verifier = createTokenVerifier({ jwksUrl: config.jwksUrl, revocation, logger });
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
      verifier.close();
      revocation.close();
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
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  lifecycle.track(server);
  const adminServer = createAdminServer({ registry: metrics.registry });
  lifecycle.handleSignals();
  await lifecycle.listen({ server, port: config.port, host: config.host, name: 'http' });
  await lifecycle.listen({ server: adminServer, port: config.adminPort, host: config.host, name: 'admin' });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${SERVICE_NAME}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
