import { OutboxSignal } from '@aegis/approvals';
import {
  createServiceApi,
  createServiceApp,
  type ServiceApi,
  type ServiceState,
  type StoreServiceDeps,
} from '@aegis/common';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import { agentRoutes } from './routes/agents';
import { conversationRoutes } from './routes/conversations';
import { executeRoutes } from './routes/execute';
import { openApiRoutes } from './routes/openapi';
import { runRoutes } from './routes/runs';
import { streamRoutes } from './routes/stream';
import type { AgentCatalog } from './run/deps';
import type { Engine } from './run/engine';
import type { OrchestrationStore } from './store/schema';

export interface AppDeps extends StoreServiceDeps {
  store: OrchestrationStore;
  engine: Engine;
  catalog: AgentCatalog;
  /** The signal the engine notifies per stored event (shared with it). */
  events: OutboxSignal;
  bodyLimitBytes?: number;
  /** Tests: check every answer against the route's declared response schema. */
  checkResponses?: boolean;
  sseHeartbeatMs?: number;
  streamPollMs?: number;
  /** The service's other modules (rules library, compliance dashboard, filing checklists…): each
   * registers its routes after the agent routes. */
  modules?: readonly ((api: ServiceApi) => void)[];
}

/** Builds the orchestration service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const routeDeps = {
    store: deps.store,
    engine: deps.engine,
    catalog: deps.catalog,
    events: deps.events,
    logger: deps.logger,
    now: deps.now ?? Date.now,
    heartbeatMs: deps.sseHeartbeatMs ?? 15_000,
    pollMs: deps.streamPollMs ?? 1000,
  };
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  // The fixed /agents/openapi.json before /agents/{agent_id}.
  openApiRoutes(api);
  agentRoutes(api, routeDeps);
  executeRoutes(api, routeDeps);
  conversationRoutes(api, routeDeps);
  runRoutes(api, routeDeps);
  streamRoutes(api, routeDeps);
  for (const register of deps.modules ?? []) register(api);
  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: deps.bodyLimitBytes,
    routers: [api.router],
    // Multipart uploads (checklist artifacts) are streamed by their routes, never parsed as JSON.
    rawBodyPaths: api.rawBodyRoutes(),
  });
}
