import { createServiceApi, createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import type { WorkingMemoryBackend } from './domain/working-memory';
import type { Embedder } from './embeddings/client';
import type { RouteDeps } from './routes/context';
import { episodicRoutes } from './routes/episodic';
import { ledgerRoutes } from './routes/ledger';
import { openApiRoutes } from './routes/openapi';
import { workingMemoryRoutes } from './routes/working-memory';
import type { MemoryStore } from './store/schema';

export interface AppDeps extends StoreServiceDeps {
  store: MemoryStore;
  /** The working-memory backend (wiring.ts picks Redis or the store). */
  workingMemory: WorkingMemoryBackend;
  /** Present when an embeddings endpoint is configured. */
  embedder?: Embedder;
  /** Rank embeddings with pgvector (wiring.ts `enablePgvector` answered true). */
  pgvector?: boolean;
  bodyLimitBytes?: number;
  /** Tests: check every answer against the route's declared response schema. */
  checkResponses?: boolean;
}

/** Builds the memory service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const routeDeps: RouteDeps = {
    store: deps.store,
    workingMemory: deps.workingMemory,
    embedder: deps.embedder,
    pgvector: deps.pgvector,
    logger: deps.logger,
    now: deps.now ?? Date.now,
  };
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  workingMemoryRoutes(api, routeDeps);
  episodicRoutes(api, routeDeps);
  ledgerRoutes(api, routeDeps);
  openApiRoutes(api);
  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: deps.bodyLimitBytes,
    routers: [api.router],
  });
}
