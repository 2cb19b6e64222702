import type { Middleware } from 'koa';

export interface CorsOptions {
  /** `*` (the default) or an explicit list of origins. */
  allowOrigins: readonly string[];
}

export const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
export const CORS_HEADERS = 'Content-Type, Authorization';
export const CORS_MAX_AGE = '86400';

/** The gateway is the only CORS authority (spec §1): the headers go on every response, errors included,
 * and a preflight is answered here with 200, never forwarded. */
export function cors(options: CorsOptions): Middleware {
  const any = options.allowOrigins.includes('*');
  const allowed = new Set(options.allowOrigins);
  return async function corsMiddleware(ctx, next) {
    const res = ctx.res;
    if (any) {
      res.setHeader('Access-Control-Allow-Origin', '*');
    } else {
      res.setHeader('Vary', 'Origin');
      const origin = ctx.get('origin');
      if (origin && allowed.has(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    }
    res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
    res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
    res.setHeader('Access-Control-Max-Age', CORS_MAX_AGE);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    await next();
  };
}
