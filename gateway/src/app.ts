import Koa from 'koa';
import {
  errorHandler,
  InputError,
  isOperationalPath,
  NotFoundError,
  requestIdFrom,
  ServiceUnavailableError,
  type Logger,
  type RevocationChecker,
  type TokenVerifier,
} from '@aegis/common';
import type { GatewayConfig } from './config';
import type { ConfigHolder } from './config-source/holder';
import type { GatewayMetrics } from './metrics';
import { authenticate } from './middleware/authenticate';
import { cors } from './middleware/cors';
import { allowedMethods } from './middleware/methods';
import { proxyToUpstream } from './middleware/proxy';
import { rateLimit } from './middleware/rate-limit';
import { tenantGuard } from './middleware/tenant-guard';
import { forwardedFor, TrustedProxies } from './proxy/forwarding';
import type { UpstreamProxy } from './proxy/upstream-proxy';
import type { RateLimiter } from './ratelimit';
import { isUnsafePath } from './routing/route-table';
import { openApi } from './openapi/endpoint';

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

export function createApp(deps: GatewayDeps): Koa {
  const { config, logger, metrics } = deps;
  const app = new Koa({ proxy: false });
  app.silent = true;
  const trusted = new TrustedProxies(config.trustedProxies);

  // Context, one log line and RED metrics per request.
  app.use(async function observe(ctx, next) {
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestIdFrom(ctx.get('x-request-id') || undefined);
    ctx.res.setHeader('X-Request-Id', ctx.state.requestId as string);
    const fwd = forwardedFor(ctx.req.socket.remoteAddress ?? '', ctx.req.headers['x-forwarded-for'], trusted);
    ctx.state.clientIp = fwd.client;
    ctx.state.forwardedChain = fwd.chain;
    metrics.inFlight.inc();
    const finish = () => {
      metrics.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx.state.route as string | undefined) ?? 'unmatched';
      const upstream = (ctx.state.upstream as string | undefined) ?? 'gateway';
      const status = ctx.res.statusCode;
      metrics.requests.inc({ route, upstream, status: String(status) });
      metrics.duration.observe({ route, upstream }, seconds);
      logger[isOperationalPath(ctx.path) ? 'debug' : 'info'](
        {
          requestId: ctx.state.requestId,
          tenant: ctx.state.identity?.tenantId,
          method: ctx.method,
          path: ctx.path,
          route,
          upstream,
          status,
          limit: ctx.state.limit,
          durationMs: Math.round(seconds * 100_000) / 100,
        },
        'Handled request',
      );
    };
    ctx.res.once('close', finish);
    await next();
  });
  app.use(cors({ allowOrigins: config.corsAllowOrigins }));
  app.use(errorHandler({ logger, gateway: true }));

  // Unauthenticated operational endpoints.
  app.use(async function operational(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/health') {
      ctx.body = { status: 'ok', service: 'api-gateway' };
      return;
    }
    if (ctx.path === '/ready') {
      const r = readiness(deps);
      ctx.status = r.ok ? 200 : 503;
      ctx.body = r.ok
        ? { status: 'ready', service: 'api-gateway', config_hash: deps.holder.current()?.hash }
        : {
            status: 'not_ready',
            service: 'api-gateway',
            detail: r.reason,
            code: 'not_ready',
            error: r.reason,
          };
      return;
    }
    if (ctx.path === '/metrics' && config.metricsOnMainPort) {
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
      return;
    }
    return next();
  });

  app.use(openApi({ holder: deps.holder, logger }));
  app.use(allowedMethods());

  // Route matching: 400 for paths that could reach something else upstream, 404 for unknown ones.
  app.use(async function route(ctx, next) {
    const current = deps.holder.current();
    if (!current) throw new ServiceUnavailableError('Gateway configuration not loaded', 'not_ready');
    if (isUnsafePath(ctx.path)) throw new InputError('Malformed request path', 'bad_path');
    const match = current.routes.match(ctx.path);
    if (!match) throw new NotFoundError(`No route for ${ctx.path}`, 'route_not_found');
    ctx.state.config = current;
    ctx.state.match = match;
    ctx.state.route = match.route.prefix;
    ctx.state.upstream = match.route.service;
    return next();
  });

  app.use(authenticate(deps.verifier));
  app.use(tenantGuard());
  app.use(
    rateLimit({
      limiter: deps.limiter,
      anonymousRule: config.defaultRule,
      anonymousPolicy: 'LocalFallback',
    }),
  );
  app.use(
    proxyToUpstream({
      upstream: deps.upstream,
      timeoutMs: config.upstream.timeoutMs,
      maxBodyBytes: config.maxBodyBytes,
      maxUploadBytes: config.maxUploadBytes,
      draining: deps.draining,
      ...(deps.revocation ? { revocation: deps.revocation } : {}),
    }),
  );
  return app;
}
