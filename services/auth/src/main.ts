#!/usr/bin/env node
import {
  createLifecycle,
  createLogger,
  exitOnStartupFailure,
  loadConfigOrExit,
  createMetrics,
  openStore,
  serveService,
  PLATFORM_TENANT,
} from '@aegis/common';
import { Counter } from 'prom-client';
import { createApp } from './app';
import { DEFAULT_BOOTSTRAP_PASSWORD, loadConfig, SERVICE_NAME } from './config';
import { createAuthCore, migrateAuthStore } from './wiring';

/** The only place that reads the environment, builds the dependencies and listens. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE_NAME, loadConfig, process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
  const store = await openStore({ url: config.databaseUrl, logger });
  await migrateAuthStore(store);

  const metrics = createMetrics(SERVICE_NAME);
  const logins = new Counter({
    name: 'aegis_auth_logins_total',
    help: 'Login attempts by outcome.',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  const core = createAuthCore({ store, config, logger, onLogin: (outcome) => logins.inc({ outcome }) });
  await core.keyRing.ensureKey();
  const admin = await core.accounts.bootstrap(config.bootstrapAdmin, PLATFORM_TENANT);
  if (admin && config.bootstrapAdmin?.password === DEFAULT_BOOTSTRAP_PASSWORD) {
    logger.warn(
      { email: admin.email },
      'Created the bootstrap admin with the local default password; change it',
    );
  }
  if (config.production && !config.keyEncryptionKey) {
    logger.warn('Stored private signing keys unencrypted: set SIGNING_KEY_ENCRYPTION_KEY in production');
  }

  const lifecycle = createLifecycle({
    logger,
    drainTimeoutMs: config.drainTimeoutMs,
    exit: true,
    cleanup: async () => {
      core.close();
      await store.close();
    },
  });
  const app = createApp({
    core,
    logger,
    metrics,
    tokenTtlSec: config.tokenTtlSec,
    cookieSecure: config.cookieSecure,
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
