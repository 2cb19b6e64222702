import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { errorHandler } from '../http/error-handler';
import { health, type Readiness } from '../http/health';
import { httpMetrics, type HttpMetrics } from '../http/metrics';
import { requestId } from '../http/request-id';
import { requestLog } from '../log/logger';
import type { Store } from '../store/types';

export interface ServiceStackOptions {
  service: string;
  logger: Logger;
  metrics: HttpMetrics;
  ready: () => Promise<Readiness> | Readiness;
}

/** The middleware every service starts with, in order: request id, one log line, RED metrics, the
 * error shape of spec §5, and /health + /ready. Routes and body parsing come after. */
export function serviceStack(options: ServiceStackOptions): Middleware[] {
  return [
    requestId(),
    requestLog(options.logger),
    httpMetrics(options.metrics),
    errorHandler({ logger: options.logger }),
    health({ service: options.service, ready: options.ready }),
  ];
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

/** Options for @koa/router's allowedMethods(): the router answers 405 (or 501) with its `Allow`
 * header (RFC 9110; when told to throw, it sets none), and errorHandler gives the empty answer the
 * error shape of spec §5. */
export const routerMethodErrors = { throw: false } as const;
