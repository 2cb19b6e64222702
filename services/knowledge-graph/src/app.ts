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
import { SERVICE_NAME } from './config';
import type { RouteDeps } from './routes/context';
import { edgeRoutes } from './routes/edges';
import { entityRoutes } from './routes/entities';
import { entityTypeRoutes } from './routes/entity-types';
import { graphRoutes } from './routes/graph';
import { importRoutes } from './routes/imports';
import { openApiRoutes } from './routes/openapi';
import { queryRoutes } from './routes/query';

export interface AppDeps {
  store: Store;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: HttpMetrics;
  bodyLimitBytes?: number;
  isDraining?: () => boolean;
  now?: () => number;
  /** Tests: check every answer against the route's declared response schema. */
  checkResponses?: boolean;
}

/** Builds the knowledge-graph service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true;
  const routeDeps: RouteDeps = { store: deps.store, verifier: deps.verifier, now: deps.now ?? Date.now };
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  entityRoutes(api, routeDeps);
  edgeRoutes(api, routeDeps);
  graphRoutes(api, routeDeps);
  queryRoutes(api, routeDeps);
  entityTypeRoutes(api, routeDeps);
  importRoutes(api, routeDeps);
  openApiRoutes(api);

  const ready = storeReadiness(deps.store, deps.isDraining);
  for (const m of serviceStack({ service: SERVICE_NAME, logger: deps.logger, metrics: deps.metrics, ready }))
    app.use(m);
  app.use(jsonBody({ limitBytes: deps.bodyLimitBytes ?? 16 * 1024 * 1024 }));
  app.use(api.router.routes());
  app.use(api.router.allowedMethods(routerMethodErrors));
  return app;
}
