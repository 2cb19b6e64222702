import type { Middleware } from 'koa';

export interface Readiness {
  ok: boolean;
  reason?: string;
}

export interface HealthOptions {
  service: string;
  /** Checked on every GET /ready; 503 with the reason when not ok. */
  ready: () => Promise<Readiness> | Readiness;
}

/** `GET /health` (liveness, no dependencies) and `GET /ready` (dependencies usable, not draining). */
export function health(options: HealthOptions): Middleware {
  return async function healthMiddleware(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/health') {
      ctx.body = { status: 'ok', service: options.service };
      return;
    }
    if (ctx.path === '/ready') {
      const r = await options.ready();
      ctx.status = r.ok ? 200 : 503;
      ctx.body = r.ok
        ? { status: 'ready', service: options.service }
        : {
            status: 'not_ready',
            service: options.service,
            detail: r.reason ?? 'not ready',
            code: 'not_ready',
          };
      return;
    }
    return next();
  };
}
