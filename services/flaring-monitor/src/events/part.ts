import type { HttpMetrics, ServiceApi, Store } from '@aegis/common';
import { Gauge } from 'prom-client';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type { Logger } from 'pino';
import { StreamHub } from '../stream/hub';
import { streamRoutes } from '../stream/routes';
import { alertRoutes } from '../sweep/routes';
import type { EventsSettings } from './config';
import { eventRoutes } from './event-routes';
import { eventTypeRoutes } from './type-routes';

export interface EventsPartDeps {
  store: Store;
  kg: Pick<KnowledgeGraphClient, 'getEntity'>;
  logger: Logger;
  /** Where the stream's client gauge is registered. */
  metrics?: HttpMetrics;
  now?: () => number;
  isDraining?: () => boolean;
  settings: Pick<EventsSettings, 'eventDedupWindowMs' | 'streamPollMs' | 'sseHeartbeatMs'>;
  /** A hub to share (tests with several apps on one process); one is made otherwise. */
  hub?: StreamHub;
}

/** Registers operational events, event types, `GET /events/stream` and `GET /flaring/alerts` on the service's API and
 * returns the stream hub (closed with the app). The stream is registered first so `/events/stream`
 * is never read as `/events/{id}`. */
export function eventsPart(api: ServiceApi, deps: EventsPartDeps): StreamHub {
  const now = deps.now ?? Date.now;
  const hub =
    deps.hub ??
    new StreamHub({
      store: deps.store,
      pollMs: deps.settings.streamPollMs,
      logger: deps.logger,
      isDraining: deps.isDraining,
    });
  if (deps.metrics)
    new Gauge({
      name: 'aegis_event_stream_clients',
      help: 'Clients connected to GET /events/stream in this process',
      registers: [deps.metrics.registry],
      collect() {
        this.set(hub.size());
      },
    });
  streamRoutes(api, { store: deps.store, hub, heartbeatMs: deps.settings.sseHeartbeatMs });
  const routeDeps = {
    store: deps.store,
    kg: deps.kg,
    now,
    onStreamed: () => hub.poke(),
    dedupWindowMs: deps.settings.eventDedupWindowMs,
  };
  eventTypeRoutes(api, routeDeps);
  eventRoutes(api, routeDeps);
  alertRoutes(api, { store: deps.store });
  return hub;
}
