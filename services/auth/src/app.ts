import {
  type HttpMetrics,
  jsonBody,
  type Logger,
  routerMethodErrors,
  serviceStack,
  storeReadiness,
} from '@aegis/common';
import { Router } from '@koa/router';
import Koa from 'koa';
import { SERVICE_NAME } from './config';
import { internalRoutes } from './routes/internal';
import { openApiRoutes } from './routes/openapi';
import { sessionRoutes } from './routes/session';
import { userRoutes } from './routes/users';
import type { AuthCore } from './wiring';

export interface AppDeps {
  core: AuthCore;
  logger: Logger;
  metrics: HttpMetrics;
  tokenTtlSec: number;
  cookieSecure: boolean;
  bodyLimitBytes?: number;
  /** False while draining (readiness answers 503). */
  isDraining?: () => boolean;
  now?: () => number;
}

/** Builds the auth service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa {
  const now = deps.now ?? Date.now;
  const { core } = deps;
  const app = new Koa({ proxy: false });
  app.silent = true;

  const router = new Router();
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

  const ready = storeReadiness(core.store, deps.isDraining);
  for (const m of serviceStack({ service: SERVICE_NAME, logger: deps.logger, metrics: deps.metrics, ready }))
    app.use(m);
  app.use(jsonBody({ limitBytes: deps.bodyLimitBytes ?? 65_536 }));
  app.use(router.routes());
  app.use(router.allowedMethods(routerMethodErrors));
  return app;
}
