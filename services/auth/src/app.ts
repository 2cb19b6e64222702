import {
  AppError,
  errorHandler,
  health,
  httpMetrics,
  jsonBody,
  requestId,
  requestLog,
  type HttpMetrics,
  type Logger,
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

  app.use(requestId());
  app.use(requestLog(deps.logger));
  app.use(httpMetrics(deps.metrics));
  app.use(errorHandler({ logger: deps.logger }));
  app.use(
    health({
      service: SERVICE_NAME,
      ready: async () => {
        if (deps.isDraining?.()) return { ok: false, reason: 'draining' };
        try {
          await core.store.ping();
        } catch {
          return { ok: false, reason: 'store unreachable' };
        }
        return { ok: true };
      },
    }),
  );
  app.use(jsonBody({ limitBytes: deps.bodyLimitBytes ?? 65_536 }));
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new AppError(405, 'method_not_allowed', 'Method not allowed'),
      notImplemented: () => new AppError(501, 'not_implemented', 'Not implemented'),
    }),
  );
  return app;
}
