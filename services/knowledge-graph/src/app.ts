import { createServiceApi, createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import type { DirectImports } from './store/direct-import';
import type { RouteDeps } from './routes/context';
import { edgeRoutes } from './routes/edges';
import { entityRoutes } from './routes/entities';
import { entityTypeRoutes } from './routes/entity-types';
import { graphRoutes } from './routes/graph';
import { importRoutes } from './routes/imports';
import { openApiRoutes } from './routes/openapi';
import { queryRoutes } from './routes/query';

export interface AppDeps extends StoreServiceDeps {
  bodyLimitBytes?: number;
  /** Tests: check every answer against the route's declared response schema. */
  checkResponses?: boolean;
  /** SQLite file stores: imports applied as they arrive; `store` must then be `imports.store`. */
  imports?: DirectImports;
}

/** Builds the knowledge-graph service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const routeDeps: RouteDeps = {
    store: deps.store,
    verifier: deps.verifier,
    now: deps.now ?? Date.now,
    imports: deps.imports,
  };
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  entityRoutes(api, routeDeps);
  edgeRoutes(api, routeDeps);
  graphRoutes(api, routeDeps);
  queryRoutes(api, routeDeps);
  entityTypeRoutes(api, routeDeps);
  importRoutes(api, routeDeps);
  openApiRoutes(api);

  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: deps.bodyLimitBytes ?? 16 * 1024 * 1024,
    routers: [api.router],
  });
}
