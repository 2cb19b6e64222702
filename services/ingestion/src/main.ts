#!/usr/bin/env node
import { runService } from '@aegis/common';
import { createApp } from './app';
import { loadConfig, SERVICE_NAME } from './config';
import { INGESTION_MIGRATIONS } from './store/migrations';
import { flaringMonitorClient, jobLeases, jobMetrics, knowledgeGraphClient } from './wiring';

/** The only place that reads the environment; the service kit builds the rest and listens. */
void runService({
  name: SERVICE_NAME,
  loadConfig,
  migrations: INGESTION_MIGRATIONS,
  build: async (kit) =>
    createApp({
      ...kit,
      kg: knowledgeGraphClient(kit),
      flaring: flaringMonitorClient(kit),
      onJobFinished: jobMetrics(kit),
      jobLease: await jobLeases(kit),
    }),
  // Uploads of large files stream for minutes: no request timeout beyond the drain deadline.
  requestTimeoutMs: 0,
});
