import { createServiceApi, createServiceApp, type ServiceState, type StoreServiceDeps } from '@aegis/common';
import type Koa from 'koa';
import type { AuditKeys } from './audit/keys';
import { SERVICE_NAME } from './config';
import { DEFAULT_TIMEOUT_HOURS } from './domain/escalation';
import type { OperationDeps } from './operations/deps';
import { outboxRoutes } from './outbox/routes';
import { OutboxSignal } from './outbox/signal';
import { approvalRoutes } from './routes/approvals';
import { openApiRoutes } from './routes/openapi';
import type { ApprovalsStore } from './store/schema';

export interface AppDeps extends StoreServiceDeps {
  store: ApprovalsStore;
  keys: AuditKeys;
  bodyLimitBytes?: number;
  /** Tests: check every answer against the route's declared response schema. */
  checkResponses?: boolean;
  /** Wakes outbox streams after a decision (main shares it with nothing else; tests may watch it). */
  signal?: OutboxSignal;
  escalationTimeoutHours?: number;
  outboxPollMs?: number;
  sseHeartbeatMs?: number;
}

/** Builds the approvals service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const signal = deps.signal ?? new OutboxSignal();
  const ops: OperationDeps = {
    store: deps.store,
    keys: deps.keys,
    now: deps.now ?? Date.now,
    signal,
    escalationTimeoutHours: deps.escalationTimeoutHours ?? DEFAULT_TIMEOUT_HOURS,
  };
  const api = createServiceApi({ verifier: deps.verifier, checkResponses: deps.checkResponses });
  // Fixed /approvals/... paths first: /approvals/{id} would otherwise take them. The document is built
  // on its first request, so it still lists every route.
  openApiRoutes(api);
  outboxRoutes(api, {
    store: deps.store,
    signal,
    pollMs: deps.outboxPollMs ?? 1000,
    heartbeatMs: deps.sseHeartbeatMs ?? 15_000,
    logger: deps.logger,
  });
  approvalRoutes(api, ops);
  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    bodyLimitBytes: deps.bodyLimitBytes,
    routers: [api.router],
  });
}
