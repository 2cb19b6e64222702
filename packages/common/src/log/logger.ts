import pino, { type Logger } from 'pino';
import type { Middleware } from 'koa';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino({
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password'], remove: true },
  });
}

/** Probes, scrapes and service-to-service polling: logged at debug so they do not drown the
 * request log. */
export function isOperationalPath(path: string): boolean {
  return path === '/health' || path === '/ready' || path === '/metrics' || path.startsWith('/internal/');
}

/** One structured line per request at info (operational paths at debug): request id, tenant, route,
 * status, duration. */
export function requestLog(logger: Logger): Middleware {
  return async function requestLogMiddleware(ctx, next) {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger[isOperationalPath(ctx.path) ? 'debug' : 'info'](
        {
          requestId: ctx.state.requestId,
          tenant: ctx.state.identity?.tenantId,
          method: ctx.method,
          path: ctx.path,
          route: ctx.state.route,
          status: ctx.status,
          durationMs: Math.round(durationMs * 100) / 100,
        },
        'Handled request',
      );
    }
  };
}
