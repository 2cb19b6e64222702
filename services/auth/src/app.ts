import { createServiceApp, type ServiceAppDeps, type ServiceState } from '@aegis/common';
import { Router } from '@koa/router';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import { internalRoutes } from './routes/internal';
import { openApiRoutes } from './routes/openapi';
import { sessionRoutes } from './routes/session';
import { userRoutes } from './routes/users';
import type { AuthCore } from './wiring';

export interface AppDeps extends ServiceAppDeps {
  core: AuthCore;
  tokenTtlSec: number;
  cookieSecure: boolean;
  bodyLimitBytes?: number;
}

/** Builds the auth service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const now = deps.now ?? Date.now;
  const { core } = deps;
  const router = new Router<ServiceState>();
  sessionRoutes(router, {
    accounts: core.accounts,
    verifier: core.verifier,
    keyRing: core.keyRing,
    store: core.store,
    tokenTtlSec: deps.tokenTtlSec,
    cookie: { secure: deps.cookieSecure },
    now,
  });
  userRoutes(router, { accounts: core.accounts, verifier: core.verifier, store: core.store, now });
  internalRoutes(router, { store: core.store, tokenTtlSec: deps.tokenTtlSec, now });
  openApiRoutes(router);

  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    store: core.store,
    bodyLimitBytes: deps.bodyLimitBytes ?? 65_536,
    routers: [router],
  });
}
