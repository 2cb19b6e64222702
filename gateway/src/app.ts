import Koa, { type Middleware, type Next, type ParameterizedContext } from 'koa';
import {
  errorHandler,
  health,
  InputError,
  metricsEndpoint,
  NotFoundError,
  requestId,
  requestLog,
  requestMetrics,
  ServiceUnavailableError,
  type AnyContext,
  type HealthOptions,
  type Logger,
  type RevocationChecker,
  type TokenVerifier,
} from '@aegis/common';
import type { GatewayConfig } from './config';
import type { ConfigHolder } from './config-source/holder';
import type { CompiledConfig } from './config-source/document';
import type { RouteMatch } from './routing/route-table';
import { tenantLabel, type GatewayMetrics } from './metrics';
import type { GatewayState } from './state';
import { authenticate } from './middleware/authenticate';
import { cors, corsPolicy } from './middleware/cors';
import { allowedMethods, notAllowed } from './middleware/methods';
import { proxyToUpstream, type ProxyMiddlewareOptions } from './middleware/proxy';
import { createAddressLimit, rateLimit, type AddressLimit } from './middleware/rate-limit';
import { tenantGuard } from './middleware/tenant-guard';
import { forwardedFor, TrustedProxies } from './proxy/forwarding';
import type { UpstreamProxy } from './proxy/upstream-proxy';
import type { RateLimiter } from './ratelimit';
import { isUnsafePath } from './routing/route-table';
import { openApi, OPENAPI_PATH, REFERENCE_PATH } from './openapi/endpoint';
import { ASSETS_PREFIX } from './openapi/reference-page';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  holder: ConfigHolder;
  verifier: TokenVerifier;
  revocation?: RevocationChecker;
  limiter: RateLimiter;
  upstream: UpstreamProxy;
  metrics: GatewayMetrics;
  draining: () => boolean;
}

/** What /ready reports: a loaded configuration, a usable limiter (or a failure policy that lets the
 * gateway serve without it), and not draining. */
export function readiness(deps: Pick<GatewayDeps, 'holder' | 'limiter' | 'draining'>): {
  ok: boolean;
  reason?: string;
} {
  if (deps.draining()) return { ok: false, reason: 'draining' };
  const config = deps.holder.current();
  if (!config)
    return { ok: false, reason: `no usable configuration: ${deps.holder.lastError ?? 'not loaded yet'}` };
  if (deps.limiter.status() === 'degraded') {
    const allClosed =
      config.tenants.size > 0 && [...config.tenants.values()].every((t) => t.failurePolicy === 'Closed');
    if (allClosed) return { ok: false, reason: 'rate-limit store unreachable and every tenant fails closed' };
  }
  return { ok: true };
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
/** Metric and log labels come from the configuration (the route prefix and its service), never from
 * request data. */
const routeOf = (ctx: AnyContext) => text(ctx.state.route, 'unmatched');

/** What the labels and the log line read of a request's state. */
export type LabelledState = Pick<GatewayState, 'route' | 'upstream' | 'identity' | 'config' | 'limit'>;

/** The request counter's labels of a finished request (the duration histogram takes all but status). */
export function requestLabels(state: LabelledState, status: number) {
  return {
    route: text(state.route, 'unmatched'),
    upstream: text(state.upstream, 'gateway'),
    status: String(status),
    tenant: tenantLabel(state.identity, state.config?.tenants),
  };
}

/** The gateway's fields of the request log line. */
export const logFields = (state: LabelledState): Record<string, unknown> => ({
  upstream: text(state.upstream, 'gateway'),
  limit: state.limit,
});

/** The routing step (ADR 0028): 503 before a configuration is loaded, 400 for paths that could reach
 * something else upstream, 404 for unknown ones, 405 with `Allow` where every row of the path is
 * restricted to other methods. */
export function routeRequest(
  holder: ConfigHolder,
  path: string,
  method: string,
): { config: CompiledConfig; match: RouteMatch } {
  const config = holder.current();
  if (!config) throw new ServiceUnavailableError('Gateway configuration not loaded', 'not_ready');
  if (isUnsafePath(path)) throw new InputError('Malformed request path', 'bad_path');
  const match = config.routes.match(path, method);
  if (!match) {
    const allow = config.routes.allowedMethods(path);
    if (allow.length > 0) throw notAllowed(method, allow);
    throw new NotFoundError(`No route for ${path}`, 'route_not_found');
  }
  return { config, match };
}

/** /ready on both ports: `readiness`, with the configuration hash when ready. */
export function gatewayHealth(deps: Pick<GatewayDeps, 'holder' | 'limiter' | 'draining'>): HealthOptions {
  return {
    service: 'api-gateway',
    gateway: true,
    ready: () => {
      const r = readiness(deps);
      return r.ok ? { ...r, details: { config_hash: deps.holder.current()?.hash } } : r;
    },
  };
}

/** The paths the gateway serves itself, read-only (GET and HEAD). */
export function isGatewayOwned(path: string, metricsOnMainPort: boolean): boolean {
  return (
    path === '/health' ||
    path === '/ready' ||
    (metricsOnMainPort && path === '/metrics') ||
    path === OPENAPI_PATH ||
    path === REFERENCE_PATH ||
    path.startsWith(ASSETS_PREFIX)
  );
}

/**
 * The gateway's Koa app: every request through the whole middleware chain. `createGatewayHandler`
 * (gateway/src/proxied.ts) serves ordinary proxied requests without it and hands it the rest.
 * `addressLimit` is shared with that handler when given.
 */
export function createApp(
  deps: GatewayDeps,
  addressLimit: AddressLimit = gatewayAddressLimit(deps),
): Koa<GatewayState> {
  const { config, logger, metrics } = deps;
  const app = new Koa<GatewayState>({ proxy: false });
  app.silent = true;
  const trusted = new TrustedProxies(config.trustedProxies);

  // Context, one log line and RED metrics per request (the same pieces as the services, with the
  // gateway's labels), measured to the end of the proxied response.
  app.use(requestId());
  app.use(async function clientAddress(ctx, next) {
    const fwd = forwardedFor(ctx.req.socket.remoteAddress ?? '', ctx.req.headers['x-forwarded-for'], trusted);
    ctx.state.clientIp = fwd.client;
    ctx.state.forwardedChain = fwd.chain;
    await next();
  });
  app.use(requestLog(logger, { route: routeOf, fields: (ctx) => logFields(ctx.state) }));
  app.use(
    requestMetrics({
      requests: metrics.requests,
      duration: metrics.duration,
      inFlight: metrics.inFlight,
      labels: (ctx, status) => requestLabels(ctx.state, status),
      durationLabels: ({ route, upstream, tenant }) => ({ route, upstream, tenant }),
    }),
  );
  app.use(cors(corsPolicy({ allowOrigins: config.corsAllowOrigins })));
  app.use(errorHandler({ logger, gateway: true }));
  app.use(allowedMethods({ gatewayOwned: (path) => isGatewayOwned(path, config.metricsOnMainPort) }));
  // Unauthenticated operational endpoints. Only a gateway-owned path goes through them: a proxied
  // request skips three middleware steps that would each only call next().
  const owned: Middleware<GatewayState>[] = [
    health(gatewayHealth(deps)),
    ...(config.metricsOnMainPort ? [metricsEndpoint(metrics.registry)] : []),
    openApi({ holder: deps.holder, logger }),
  ];
  const runOwned = (ctx: ParameterizedContext<GatewayState>, next: Next, i: number): Promise<void> =>
    i === owned.length
      ? next()
      : Promise.resolve(owned[i](ctx, () => runOwned(ctx, next, i + 1))).then(() => undefined);
  app.use(function gatewayOwnedEndpoints(ctx, next) {
    return isGatewayOwned(ctx.path, config.metricsOnMainPort) ? runOwned(ctx, next, 0) : next();
  });
  // Unauthenticated traffic is limited per client address before anything is routed or verified.
  app.use(addressLimit.beforeVerification);
  app.use(async function route(ctx, next) {
    const { config: current, match } = routeRequest(deps.holder, ctx.path, ctx.method);
    ctx.state.config = current;
    ctx.state.match = match;
    ctx.state.route = match.route.prefix;
    ctx.state.upstream = match.route.service;
    return next();
  });
  app.use(
    authenticate(deps.verifier, {
      onRejected: addressLimit.afterRejection,
      onVerified: addressLimit.afterVerification,
    }),
  );
  app.use(tenantGuard());
  app.use(rateLimit({ limiter: deps.limiter }));
  app.use(proxyToUpstream(proxyOptions(deps)));
  return app;
}

/** The forwarding step's options from the gateway's dependencies. */
export function proxyOptions(deps: GatewayDeps): ProxyMiddlewareOptions {
  const { config } = deps;
  return {
    upstream: deps.upstream,
    timeoutMs: config.upstream.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    maxUploadBytes: config.maxUploadBytes,
    draining: deps.draining,
    ...(deps.revocation ? { revocation: deps.revocation } : {}),
  };
}

/** The quota of unauthenticated traffic (per client address, the gateway default rule), one per
 * gateway: the Koa path and the proxied path share its memory of refused addresses and known tokens. */
export function gatewayAddressLimit(deps: Pick<GatewayDeps, 'config' | 'limiter'>): AddressLimit {
  return createAddressLimit({
    limiter: deps.limiter,
    rule: deps.config.defaultRule,
    policy: 'LocalFallback',
  });
}
