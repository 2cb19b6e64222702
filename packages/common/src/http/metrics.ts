import http from 'node:http';
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(service: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
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
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, requests, duration };
}

/** RED metrics per route. `ctx.state.route` names the route; unmatched requests count as `unmatched`
 * so label cardinality stays bounded. */
export function httpMetrics(metrics: HttpMetrics): Middleware {
  return async function httpMetricsMiddleware(ctx, next) {
    const end = metrics.duration.startTimer();
    try {
      await next();
    } finally {
      const labels = {
        method: ctx.method,
        route: String(ctx.state.route ?? 'unmatched'),
        status: String(ctx.status),
      };
      metrics.requests.inc(labels);
      end(labels);
    }
  };
}

/** Serves `GET /metrics` from a registry (for the main app). */
export function metricsEndpoint(registry: Registry): Middleware {
  return async function metricsEndpointMiddleware(ctx, next) {
    if (ctx.method !== 'GET' || ctx.path !== '/metrics') return next();
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
}

export interface AdminServerOptions {
  registry: Registry;
  /** Extra plain GET handlers (`/health`, `/ready`, `/config/hash`, ...) answering JSON. */
  routes?: Record<
    string,
    () => Promise<{ status: number; body: unknown }> | { status: number; body: unknown }
  >;
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
