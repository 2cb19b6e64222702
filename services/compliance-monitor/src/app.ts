import { createServiceApi, createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import { complianceRoutes } from './routes';

export interface AppDeps extends StoreServiceDeps {
  kg: KnowledgeGraphClient;
  /** Tests: answers checked against their declared schemas. */
  checkResponses?: boolean;
}

/** Builds the compliance monitor's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  complianceRoutes(api, { kg: deps.kg, now: deps.now ?? Date.now });
  return createServiceApp({ ...deps, name: SERVICE_NAME, routers: [api.router] });
}
