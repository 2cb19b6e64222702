import { createServiceApi, createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import { EVENTS_DEFAULTS, type EventsSettings } from './events/config';
import { eventsPart } from './events/part';
import type { StreamHub } from './stream/hub';
import type { RouteDeps } from './routes/context';
import { flareEventRoutes } from './routes/flare-events';
import { flaringRoutes } from './routes/flaring';
import { openApiRoutes } from './routes/openapi';
import type { FlaringStore } from './store/schema';

export interface AppDeps extends StoreServiceDeps {
  store: FlaringStore;
  kg: KnowledgeGraphClient;
  bodyLimitBytes?: number;
  /** Tests: check every answer against the route's declared response schema. */
  checkResponses?: boolean;
  /** The event and stream settings (main passes the whole configuration). */
  config?: Partial<EventsSettings>;
  /** Tests: the event-stream hub (to watch its clients come and go); one is made otherwise. */
  hub?: StreamHub;
}

/** Builds the flaring-monitor service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const routeDeps: RouteDeps = {
    store: deps.store,
    kg: deps.kg,
    logger: deps.logger,
    now: deps.now ?? Date.now,
  };
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  // Flare events and the flaring calculations (src/routes).
  flareEventRoutes(api, routeDeps);
  flaringRoutes(api, routeDeps);

  eventsPart(api, { ...deps, settings: { ...EVENTS_DEFAULTS, ...deps.config } });

  openApiRoutes(api);

  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: deps.bodyLimitBytes,
    routers: [api.router],
  });
}
