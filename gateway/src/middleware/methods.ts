import type { Middleware } from 'koa';
import { AppError } from '@aegis/common';

/** The methods the gateway forwards (spec §1's CORS list, plus HEAD). */
export const FORWARDED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const forwarded = new Set<string>(FORWARDED_METHODS);

/** Refuses any other method (TRACE, CONNECT, WebDAV verbs, ...) with 405 and `Allow`, before it is
 * routed: no service implements one, and a service's router would answer 501, a server error. */
export function allowedMethods(): Middleware {
  return async function allowedMethodsMiddleware(ctx, next) {
    if (!forwarded.has(ctx.method))
      throw new AppError(405, 'method_not_allowed', `Method ${ctx.method} is not allowed`, {
        Allow: FORWARDED_METHODS.join(', '),
      });
    return next();
  };
}
