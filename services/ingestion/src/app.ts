import {
  createServiceApi,
  type HttpMetrics,
  jsonBody,
  type Logger,
  routerMethodErrors,
  serviceStack,
  type Store,
  storeReadiness,
  type TokenVerifier,
} from '@aegis/common';
import Koa from 'koa';
import { SERVICE_NAME, type Config } from './config';
import type { JobDeps } from './ingest/run-job';
import { createIngestion } from './ingest/service';
import type { KnowledgeGraphClient } from './kg/client';
import { ingestionRoutes } from './routes';
import type { JobRecord } from './store/jobs';

export type AppConfig = Pick<
  Config,
  'maxUploadBytes' | 'maxRecordBytes' | 'batchMaxItems' | 'maxJobErrors' | 'bodyLimitBytes' | 'samplesDir'
>;

export interface AppDeps {
  config: AppConfig;
  verifier: TokenVerifier;
  store: Store;
  kg: KnowledgeGraphClient;
  logger: Logger;
  metrics: HttpMetrics;
  /** True while draining (readiness answers 503). */
  isDraining?: () => boolean;
  onJobFinished?: (job: JobRecord) => void;
  now?: () => number;
}

/** Records per /extract or /ingest/scada request. */
export const MAX_RECORDS_PER_REQUEST = 10_000;

const UPLOAD_PATH = '/ingest/operator/csv';

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
export function createApp(deps: AppDeps): Koa {
  const now = strictlyIncreasing(deps.now ?? Date.now);
  const { config } = deps;
  const app = new Koa({ proxy: false });
  app.silent = true;

  const ingestion = createIngestion({
    kg: deps.kg,
    logger: deps.logger,
    limits: {
      maxErrors: config.maxJobErrors,
      batchMaxItems: config.batchMaxItems,
      maxRecordBytes: config.maxRecordBytes,
    },
  });
  const jobs: JobDeps = { store: deps.store, logger: deps.logger, now, onFinished: deps.onJobFinished };
  const api = createServiceApi({ verifier: deps.verifier });
  ingestionRoutes(api, {
    store: deps.store,
    ingestion,
    jobs,
    maxUploadBytes: config.maxUploadBytes,
    samplesDir: config.samplesDir,
    maxRecordsPerRequest: MAX_RECORDS_PER_REQUEST,
  });

  const json = jsonBody({ limitBytes: config.bodyLimitBytes });
  const ready = storeReadiness(deps.store, deps.isDraining);
  for (const m of serviceStack({ service: SERVICE_NAME, logger: deps.logger, metrics: deps.metrics, ready }))
    app.use(m);
  // Uploads stream their multipart body into the CSV loader; everything else is JSON.
  app.use((ctx, next) => (ctx.path === UPLOAD_PATH ? next() : json(ctx, next)));
  app.use(api.router.routes());
  app.use(api.router.allowedMethods(routerMethodErrors));
  return app;
}
