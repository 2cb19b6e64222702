import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ServiceState } from '../http/state';
import { routeLabel, type RouteLabel } from './route-label';

/** Probes, scrapes and service-to-service polling: logged at debug so they do not drown the
 * request log. */
export function isOperationalPath(path: string): boolean {
  return path === '/health' || path === '/ready' || path === '/metrics' || path.startsWith('/internal/');
}

export interface RequestOutcome {
  /** The status sent (or being sent when the connection dropped). */
  status: number;
  /** From the request's arrival to the end of its response. */
  seconds: number;
}

/** Calls `done` once, when the response has been sent or the connection closed: a proxied or
 * streamed response is measured to its end, not to the return of the middleware. */
export function afterResponse(ctx: Context, done: (outcome: RequestOutcome) => void): void {
  const started = process.hrtime.bigint();
  ctx.res.once('close', () =>
    done({ status: ctx.res.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
  );
}

export interface RequestLogOptions {
  /** The `route` field (default: the router's matched route, `unmatched` when none matched). */
  route?: RouteLabel;
  /** More fields for the line (the gateway adds its upstream and rate-limit decision). */
  fields?: (ctx: Context) => Record<string, unknown>;
}

/** What one request's log line says besides its outcome. */
export interface RequestLogLine {
  requestId: string | undefined;
  tenant: string | undefined;
  method: string;
  path: string;
  route: string;
  /** More fields, between the route and the status. */
  fields?: Record<string, unknown>;
}

/** Writes the line of a handled request: at info, operational paths at debug. Shared by
 * `requestLog` and handlers that do not run through Koa (the gateway's proxied path). */
export function writeRequestLog(logger: Logger, line: RequestLogLine, outcome: RequestOutcome): void {
  logger[isOperationalPath(line.path) ? 'debug' : 'info'](
    {
      requestId: line.requestId,
      tenant: line.tenant,
      method: line.method,
      path: line.path,
      route: line.route,
      ...line.fields,
      status: outcome.status,
      durationMs: Math.round(outcome.seconds * 100_000) / 100,
    },
    'Handled request',
  );
}

/** One structured line per request at info (operational paths at debug): request id, tenant, route,
 * status, duration. */
export function requestLog(logger: Logger, options: RequestLogOptions = {}): Middleware<ServiceState> {
  const route = options.route ?? routeLabel;
  return async function requestLogMiddleware(ctx, next) {
    // Below info (LOG_LEVEL=warn), no line would be written: no listener, clock or fields either.
    if (!logger.isLevelEnabled('info')) return next();
    afterResponse(ctx, (outcome) => {
      const line: RequestLogLine = {
        requestId: ctx.state.requestId,
        tenant: ctx.state.identity?.tenantId,
        method: ctx.method,
        path: ctx.path,
        route: route(ctx),
      };
      if (options.fields) line.fields = options.fields(ctx);
      writeRequestLog(logger, line, outcome);
    });
    await next();
  };
}
