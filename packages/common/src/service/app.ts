import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/verifier';
import { errorHandler } from '../http/error-handler';
import { health, type Readiness } from '../http/health';
import { jsonBody } from '../http/json-body';
import { httpMetrics, type HttpMetrics } from '../http/metrics';
import { requestId } from '../http/request-id';
import type { ServiceState } from '../http/state';
import { requestLog } from '../log/request-log';
import type { Store } from '../store/types';

/** Options for @koa/router's allowedMethods(): the router answers 405 with its `Allow`
 * header (RFC 9110; when told to throw, it sets none), and errorHandler gives the empty answer the
 * error shape of spec §5. */
export const routerMethodErrors = { throw: false } as const;

/** What the kit needs of a router (an @koa/router `Router<ServiceState>`; common does not depend on
 * the router package). */
export interface ServiceRouter {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the router's own context extension
  routes(): Middleware<ServiceState, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the router's own context extension
  allowedMethods(options: typeof routerMethodErrors): Middleware<ServiceState, any>;
}

/** What every service's `createApp(deps)` takes from the kit (`createApp({ ...kit, ... })` in main.ts;
 * tests pass the same fields). */
export interface ServiceAppDeps {
  logger: Logger;
  metrics: HttpMetrics;
  /** True while draining (readiness answers 503). */
  isDraining?: () => boolean;
  /** The clock (tests fix it). */
  now?: () => number;
}

/** A service over a store whose callers it verifies itself (the knowledge graph, ingestion). */
export interface StoreServiceDeps extends ServiceAppDeps {
  store: Store;
  verifier: TokenVerifier;
}

export interface ServiceAppOptions {
  /** The service name in /health, /ready and errors. */
  name: string;
  logger: Logger;
  metrics: HttpMetrics;
  /** Readiness: a store that must answer a ping, or any check (not both). */
  store?: Pick<Store, 'ping'>;
  ready?: () => Promise<Readiness> | Readiness;
  /** True while draining: readiness answers 503 `draining`. */
  isDraining?: () => boolean;
  /** Largest JSON body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Paths whose handler reads the body itself (a streamed multipart upload): no JSON parsing. A
   * template (`/files/{id}`, from `ServiceApi.rawBodyRoutes()`) matches one segment per parameter. */
  rawBodyPaths?: readonly string[];
  routers: readonly ServiceRouter[];
}

/** Readiness of a service backed by a store: not while draining, and only when the store answers. */
export function storeReadiness(
  store: Pick<Store, 'ping'>,
  isDraining?: () => boolean,
): () => Promise<Readiness> {
  return async () => {
    if (isDraining?.()) return { ok: false, reason: 'draining' };
    try {
      await store.ping();
    } catch {
      return { ok: false, reason: 'store unreachable' };
    }
    return { ok: true };
  };
}

function readiness(options: ServiceAppOptions): () => Promise<Readiness> | Readiness {
  if (options.store) return storeReadiness(options.store, options.isDraining);
  const { ready = () => ({ ok: true }), isDraining } = options;
  return () => (isDraining?.() ? { ok: false, reason: 'draining' } : ready());
}

/**
 * A service's Koa app with the standard stack, in order: request id, one log line per request, RED
 * metrics labelled with the matched route, the error shape of spec §5, `/health` + `/ready`, the JSON
 * body, then the routers (with 405 from `allowedMethods`: every method Node parses is known to them). `ctx.state` is `ServiceState`.
 */
export function createServiceApp(options: ServiceAppOptions): Koa<ServiceState> {
  const app = new Koa<ServiceState>({ proxy: false });
  app.silent = true;
  app.use(requestId());
  app.use(requestLog(options.logger));
  app.use(httpMetrics(options.metrics));
  app.use(errorHandler({ logger: options.logger }));
  app.use(health({ service: options.name, ready: readiness(options) }));
  const json = jsonBody({ limitBytes: options.bodyLimitBytes ?? 1024 * 1024 });
  const raw = rawPathMatcher(options.rawBodyPaths ?? []);
  app.use(raw === undefined ? json : (ctx, next) => (raw(ctx.path) ? next() : json(ctx, next)));
  for (const router of options.routers) app.use(router.routes());
  for (const router of options.routers) app.use(router.allowedMethods(routerMethodErrors));
  return app;
}

/** Whether a request path is one of `paths`: exact, or a template whose `{name}` segments match any
 * one non-empty segment (`/checklists/{id}/artifacts`). Undefined when there are none. */
export function rawPathMatcher(paths: readonly string[]): ((path: string) => boolean) | undefined {
  if (paths.length === 0) return undefined;
  const exact = new Set(paths.filter((p) => !p.includes('{')));
  const templates = paths
    .filter((p) => p.includes('{'))
    .map(
      (p) =>
        new RegExp(
          `^${p
            .split(/\{[^}]+\}/)
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
    );
  return (path) => exact.has(path) || templates.some((t) => t.test(path));
}
