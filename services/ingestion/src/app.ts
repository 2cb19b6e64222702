import { createServiceApi, createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import type Koa from 'koa';
import { SERVICE_NAME, type Config } from './config';
import type { JobDeps } from './ingest/run-job';
import { createIngestion } from './ingest/service';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type { FlaringMonitorClient } from './ingest/flaring-client';
import { ingestionRoutes } from './routes';
import type { JobLease, JobRecord } from './store/jobs';

export type AppConfig = Pick<
  Config,
  'maxUploadBytes' | 'maxRecordBytes' | 'batchMaxItems' | 'maxJobErrors' | 'bodyLimitBytes' | 'samplesDir'
>;

export interface AppDeps extends StoreServiceDeps {
  config: AppConfig;
  kg: KnowledgeGraphClient;
  /** Where SCADA readings become flare events. */
  flaring: FlaringMonitorClient;
  onJobFinished?: (job: JobRecord) => void;
  /** This process's lease on the jobs it runs (`jobLeases`); tests may leave jobs unleased. */
  jobLease?: JobLease;
}

/** Records per /extract or /ingest/scada request. */
export const MAX_RECORDS_PER_REQUEST = 10_000;

/** A clock that never returns the same millisecond twice, so jobs of one process sort in the order
 * they were created (list order is created_at, then id). */
export function strictlyIncreasing(clock: () => number): () => number {
  let last = -Infinity;
  return () => {
    last = Math.max(clock(), last + 1);
    return last;
  };
}

/** Builds the ingestion service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const now = strictlyIncreasing(deps.now ?? Date.now);
  const { config } = deps;

  const ingestion = createIngestion({
    kg: deps.kg,
    flaring: deps.flaring,
    logger: deps.logger,
    limits: {
      maxErrors: config.maxJobErrors,
      batchMaxItems: config.batchMaxItems,
      maxRecordBytes: config.maxRecordBytes,
    },
  });
  const jobs: JobDeps = {
    store: deps.store,
    logger: deps.logger,
    now,
    onFinished: deps.onJobFinished,
    lease: deps.jobLease,
  };
  const api = createServiceApi({ verifier: deps.verifier });
  ingestionRoutes(api, {
    store: deps.store,
    ingestion,
    jobs,
    maxUploadBytes: config.maxUploadBytes,
    samplesDir: config.samplesDir,
    maxRecordsPerRequest: MAX_RECORDS_PER_REQUEST,
  });

  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: config.bodyLimitBytes,
    // Uploads stream their multipart body into the CSV loader; everything else is JSON.
    rawBodyPaths: api.rawBodyPaths(),
    routers: [api.router],
  });
}
