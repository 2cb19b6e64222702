import http from 'node:http';
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, type Gauge, Histogram, Registry } from 'prom-client';
import { afterResponse } from '../log/request-log';
import { routeLabel, type AnyContext, type RouteLabel } from '../log/route-label';

type Labels<T extends string> = Partial<Record<T, string | number>>;

export interface HttpMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
}

/** A registry labelled with the service name and the default process metrics. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The histogram buckets of every request-duration metric (seconds). */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(service: string): HttpMetrics {
  const registry = createRegistry(service);
  const requests = new Counter({
    name: 'aegis_http_requests_total',
    help: 'HTTP requests handled, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'aegis_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return { registry, requests, duration };
}

export interface RequestMetricsOptions<C extends string, D extends string> {
  requests: Counter<C>;
  duration: Histogram<D>;
  /** Requests being handled (the gateway's). */
  inFlight?: Gauge;
  /** The counter's labels of a finished request, computed once per request. */
  labels: (ctx: AnyContext, status: number) => Labels<C>;
  /** The histogram's labels, taken from the counter's (default: the same labels). */
  durationLabels?: (labels: Labels<C>) => Labels<D>;
}

/** RED metrics: counts each request and observes its duration once its response has been sent, with
 * labels the app provides (a service: method, route, status; the gateway: route, upstream, status). */
export function requestMetrics<C extends string, D extends string>(
  options: RequestMetricsOptions<C, D>,
): Middleware {
  const { requests, duration, inFlight, labels, durationLabels } = options;
  return async function requestMetricsMiddleware(ctx, next) {
    inFlight?.inc();
    afterResponse(ctx, ({ status, seconds }) => {
      inFlight?.dec();
      const counted = labels(ctx, status);
      requests.inc(counted);
      duration.observe(durationLabels ? durationLabels(counted) : (counted as Labels<string>), seconds);
    });
    await next();
  };
}

/** A service's RED metrics per route: the router's matched route (`unmatched` when none matched, so
 * label cardinality stays bounded). */
export function httpMetrics(metrics: HttpMetrics, route: RouteLabel = routeLabel): Middleware {
  const labels = (ctx: AnyContext, status: number) => ({
    method: ctx.method,
    route: route(ctx),
    status: String(status),
  });
  return requestMetrics({
    requests: metrics.requests,
    duration: metrics.duration,
    labels,
  });
}

/** Serves `GET /metrics` from a registry (for the main app). */
export function metricsEndpoint(registry: Registry): Middleware {
  return async function metricsEndpointMiddleware(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path !== '/metrics') return next();
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
}

export interface AdminReply {
  status: number;
  body: unknown;
}

/** Plain GET handlers of an admin server, by path, answering JSON. */
export type AdminRoutes = Record<string, () => Promise<AdminReply> | AdminReply>;

export interface AdminServerOptions {
  registry: Registry;
  /** Extra plain GET handlers (`/health`, `/ready`, `/config`, ...) answering JSON. */
  routes?: AdminRoutes;
}

/** A small plain-http server for the admin port: metrics and operational endpoints. */
export function createAdminServer(options: AdminServerOptions): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    void (async () => {
      try {
        if (req.method === 'GET' && path === '/metrics') {
          reply(200, options.registry.contentType, await options.registry.metrics());
          return;
        }
        const route = options.routes?.[path ?? ''];
        if (req.method === 'GET' && route) {
          const r = await route();
          reply(r.status, 'application/json', JSON.stringify(r.body));
          return;
        }
        reply(404, 'application/json', JSON.stringify({ detail: 'Not found', code: 'not_found' }));
      } catch {
        reply(
          500,
          'application/json',
          JSON.stringify({ detail: 'Internal server error', code: 'internal_error' }),
        );
      }
    })();
  });
}
