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
import { Counter } from 'prom-client';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME, type Config } from './config';
import { createKnowledgeGraphClient } from './kg/client';
import { INGESTION_MIGRATIONS } from './store/migrations';

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
  await store.migrate(SERVICE_NAME, INGESTION_MIGRATIONS);

  const metrics = createMetrics(SERVICE_NAME);
  const jobsTotal = new Counter({
    name: 'aegis_ingestion_jobs_total',
    help: 'Ingestion jobs finished, by kind, data type and status.',
    labelNames: ['kind', 'data_type', 'status'] as const,
    registers: [metrics.registry],
  });
  const rowsTotal = new Counter({
    name: 'aegis_ingestion_rows_total',
    help: 'Rows read by ingestion jobs, by data type and outcome (accepted, rejected).',
    labelNames: ['data_type', 'outcome'] as const,
    registers: [metrics.registry],
  });

  const revocation = createRevocationChecker({
    url: config.revocationsUrl,
    pollIntervalMs: config.revocationPollMs,
    logger,
  });
  const verifier = createTokenVerifier({ jwksUrl: config.jwksUrl, revocation, logger });
  const kg = createKnowledgeGraphClient({
    baseUrl: config.knowledgeGraphUrl,
    timeoutMs: config.kgTimeoutMs,
    commitTimeoutMs: config.kgCommitTimeoutMs,
    logger,
  });

  const lifecycle = createLifecycle({
    logger,
    drainTimeoutMs: config.drainTimeoutMs,
    exit: true,
    cleanup: async () => {
      verifier.close();
      revocation.close();
      await store.close();
    },
  });
  const app = createApp({
    config,
    verifier,
    store,
    kg,
    logger,
    metrics,
    isDraining: () => lifecycle.draining,
    onJobFinished: (job) => {
      jobsTotal.inc({ kind: job.kind, data_type: job.dataType, status: job.status });
      rowsTotal.inc({ data_type: job.dataType, outcome: 'accepted' }, job.acceptedRows);
      rowsTotal.inc({ data_type: job.dataType, outcome: 'rejected' }, job.rejectedRows);
      logger.info(
        {
          jobId: job.id,
          tenant: job.tenantId,
          kind: job.kind,
          dataType: job.dataType,
          status: job.status,
          totalRows: job.totalRows,
          acceptedRows: job.acceptedRows,
          rejectedRows: job.rejectedRows,
        },
        'Finished ingestion job',
      );
    },
  });
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  // Uploads of large files stream for minutes: no request timeout beyond the drain deadline.
  server.requestTimeout = 0;
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
