import {
  createServiceApi,
  type HttpMetrics,
  jsonBody,
  type Logger,
  routerMethodErrors,
  serviceStack,
  storeReadiness,
} from '@aegis/common';
import Koa from 'koa';
import { SERVICE_NAME } from './config';
import { authRoutes } from './routes';
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

  const api = createServiceApi({ verifier: core.verifier });
  authRoutes(api, {
    accounts: core.accounts,
    verifier: core.verifier,
    keyRing: core.keyRing,
    store: core.store,
    tokenTtlSec: deps.tokenTtlSec,
    cookie: { secure: deps.cookieSecure },
    now,
  });

  const ready = storeReadiness(core.store, deps.isDraining);
  for (const m of serviceStack({ service: SERVICE_NAME, logger: deps.logger, metrics: deps.metrics, ready }))
    app.use(m);
  app.use(jsonBody({ limitBytes: deps.bodyLimitBytes ?? 65_536 }));
  app.use(api.router.routes());
  app.use(api.router.allowedMethods(routerMethodErrors));
  return app;
}
