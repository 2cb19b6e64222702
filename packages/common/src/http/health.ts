import type { Middleware } from 'koa';
import type { AdminReply, AdminRoutes } from './metrics';

export interface Readiness {
  ok: boolean;
  reason?: string;
  /** More fields for the /ready body (the gateway's configuration hash, the operator's leadership). */
  details?: Record<string, unknown>;
}

export interface HealthOptions {
  service: string;
  /** Checked on every GET /ready; 503 with the reason when not ok. */
  ready: () => Promise<Readiness> | Readiness;
  /** Gateway-generated errors also carry `error` (spec §5). */
  gateway?: boolean;
}

/** The body of `GET /health`: the process is alive (no dependency is checked). */
export function healthReply(service: string): AdminReply {
  return { status: 200, body: { status: 'ok', service } };
}

/** The status and body of `GET /ready`: 200 when dependencies are usable and not draining, 503 with
 * the reason in the error shape otherwise. */
export async function readyReply(options: HealthOptions): Promise<AdminReply> {
  const { service } = options;
  const r = await options.ready();
  if (r.ok) return { status: 200, body: { status: 'ready', service, ...r.details } };
  const detail = r.reason ?? 'not ready';
  return {
    status: 503,
    body: {
      status: 'not_ready',
      service,
      detail,
      code: 'not_ready',
      ...(options.gateway ? { error: detail } : {}),
      ...r.details,
    },
  };
}

/** `GET /health` (liveness, no dependencies) and `GET /ready` (dependencies usable, not draining). */
export function health(options: HealthOptions): Middleware {
  return async function healthMiddleware(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    let reply: AdminReply;
    if (ctx.path === '/health') reply = healthReply(options.service);
    else if (ctx.path === '/ready') reply = await readyReply(options);
    else return next();
    ctx.status = reply.status;
    ctx.body = reply.body;
  };
}

/** The same two endpoints for an admin server (`createAdminServer({ routes })`); `aliases` adds other
 * paths for them (the operator's `/healthz` and `/readyz`). */
export function healthRoutes(
  options: HealthOptions & { aliases?: { health?: string; ready?: string } },
): AdminRoutes {
  const health = () => healthReply(options.service);
  const ready = () => readyReply(options);
  return {
    '/health': health,
    '/ready': ready,
    ...(options.aliases?.health ? { [options.aliases.health]: health } : {}),
    ...(options.aliases?.ready ? { [options.aliases.ready]: ready } : {}),
  };
}
