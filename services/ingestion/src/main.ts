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
import { Counter } from 'prom-client';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { createKnowledgeGraphClient } from './kg/client';
import { INGESTION_MIGRATIONS } from './store/migrations';

/** The only place that reads the environment, builds the dependencies and listens. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE_NAME, loadConfig, process.env);
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

  const { verifier, close: closeVerifier } = createServiceVerifier(config, logger);
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
      closeVerifier();
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
  // Uploads of large files stream for minutes: no request timeout beyond the drain deadline.
  await serveService({
    app,
    lifecycle,
    metrics,
    host: config.host,
    port: config.port,
    adminPort: config.adminPort,
    requestTimeoutMs: 0,
  });
}

main().catch(exitOnStartupFailure(SERVICE_NAME));
