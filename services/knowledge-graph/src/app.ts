import { createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import { Router } from '@koa/router';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
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
}

/** Builds the knowledge-graph service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const routeDeps: RouteDeps = { store: deps.store, verifier: deps.verifier, now: deps.now ?? Date.now };
  const router = new Router<ServiceState>();
  openApiRoutes(router);
  entityRoutes(router, routeDeps);
  edgeRoutes(router, routeDeps);
  graphRoutes(router, routeDeps);
  queryRoutes(router, routeDeps);
  entityTypeRoutes(router, routeDeps);
  importRoutes(router, routeDeps);

  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: deps.bodyLimitBytes ?? 16 * 1024 * 1024,
    routers: [router],
  });
}
