import type { Middleware } from 'koa';
import { AppError } from '@aegis/common';

/** The methods the gateway forwards (spec §1's CORS list, plus HEAD). */
export const FORWARDED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** The methods of the gateway's own read-only endpoints (/health, /ready, /metrics, the API document). */
export const READ_ONLY_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

const forwarded = new Set<string>(FORWARDED_METHODS);
const readOnly = new Set<string>(READ_ONLY_METHODS);

export interface AllowedMethodsOptions {
  /** Whether a path is served by the gateway itself, read-only. */
  gatewayOwned?: (path: string) => boolean;
}

/** 405 in the error shape with `Allow` (RFC 9110 §15.5.6). */
export const notAllowed = (method: string, allow: readonly string[]) =>
  new AppError(405, 'method_not_allowed', `Method ${method} is not allowed`, { Allow: allow.join(', ') });

/** Refuses, with 405 and `Allow` (RFC 9110 §15.5.6), any method but GET and HEAD on the gateway's own
 * endpoints, and any method the gateway does not forward (TRACE, CONNECT, QUERY, WebDAV verbs, ...)
 * everywhere else, before it is routed: no service implements one. */
export function allowedMethods(options: AllowedMethodsOptions = {}): Middleware {
  const owned = options.gatewayOwned ?? (() => false);
  return async function allowedMethodsMiddleware(ctx, next) {
    if (owned(ctx.path)) {
      if (!readOnly.has(ctx.method)) throw notAllowed(ctx.method, READ_ONLY_METHODS);
    } else if (!forwarded.has(ctx.method)) {
      throw notAllowed(ctx.method, FORWARDED_METHODS);
    }
    return next();
  };
}
