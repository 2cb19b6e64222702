import type { Middleware } from 'koa';

export interface CorsOptions {
  /** `*` (the default) or an explicit list of origins. */
  allowOrigins: readonly string[];
}

export const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
/** Request headers a browser may send: the token, a caller's request id (kept end to end), and the
 * event id an `EventSource` sends when it reconnects. */
export const CORS_HEADERS = 'Content-Type, Authorization, X-Request-Id, Last-Event-ID';
/** Response headers browser code may read besides the CORS-safelisted ones: every header the gateway
 * itself adds that a client acts on. */
export const CORS_EXPOSE_HEADERS = 'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After';
export const CORS_MAX_AGE = '86400';

/** The CORS policy as a function of the request's `Origin`: the headers every gateway response carries. */
export type CorsPolicy = (origin: string | undefined) => Record<string, string>;

/**
 * `*` allows every origin without credentials (a browser refuses credentials with `*`). An explicit
 * list echoes a listed origin with `Access-Control-Allow-Credentials: true`, so a page on that origin
 * can send the session cookie; responses then vary by `Origin`. An unlisted origin gets no
 * `Access-Control-Allow-Origin`, so its page cannot read the response.
 */
export function corsPolicy(options: CorsOptions): CorsPolicy {
  const any = options.allowOrigins.includes('*');
  const allowed = new Set(options.allowOrigins);
  const common = {
    'Access-Control-Allow-Methods': CORS_METHODS,
    'Access-Control-Allow-Headers': CORS_HEADERS,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
    'Access-Control-Max-Age': CORS_MAX_AGE,
  };
  // The same headers for every request: built once, frozen since every response shares them.
  const anyOrigin = Object.freeze({ 'Access-Control-Allow-Origin': '*', ...common });
  if (any) return () => anyOrigin;
  return (origin) => ({
    Vary: 'Origin',
    ...(origin && allowed.has(origin)
      ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' }
      : {}),
    ...common,
  });
}

/** The gateway is the only CORS authority (spec §1): the headers go on every response, errors included,
 * and a preflight is answered here with 200, never forwarded. */
export function cors(policy: CorsPolicy): Middleware {
  return async function corsMiddleware(ctx, next) {
    for (const [name, value] of Object.entries(policy(ctx.get('origin') || undefined)))
      ctx.res.setHeader(name, value);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    await next();
  };
}
