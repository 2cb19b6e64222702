import type { Middleware, ParameterizedContext } from 'koa';
import { AppError, missingTokenError, tokenFromRequest, type TokenVerifier } from '@aegis/common';
import type { GatewayState } from '../state';

/** Requests that need no token (spec §2): logging in, and the public signing keys. */
export function isPublicRequest(method: string, path: string): boolean {
  return (
    (method === 'POST' && path === '/api/v1/auth/token') ||
    (method === 'GET' && path === '/api/v1/auth/.well-known/jwks.json')
  );
}

export interface AuthenticateOptions {
  /** Called before a 401 is answered (the request then counts as unauthenticated traffic); it may
   * throw another error (429) instead. */
  onRejected?: (ctx: ParameterizedContext<GatewayState>) => Promise<void>;
  /** Called with each token that passed verification and its expiry (seconds since the epoch). */
  onVerified?: (token: string, expiresAtSec: number) => void;
}

/** Verifies the JWT from `Authorization: Bearer` or, when that header is absent, the `aegis_token`
 * cookie, and puts the identity on ctx.state. */
export function authenticate(
  verifier: TokenVerifier,
  options: AuthenticateOptions = {},
): Middleware<GatewayState> {
  return async function authenticateMiddleware(ctx, next) {
    if (isPublicRequest(ctx.method, ctx.path)) return next();
    try {
      const token = tokenFromRequest(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
      if (token === undefined) throw missingTokenError();
      ctx.state.identity = await verifier.verify(token);
      options.onVerified?.(token, ctx.state.identity.exp);
      ctx.state.token = token;
      ctx.state.tokenFromCookie = !ctx.get('authorization');
    } catch (err) {
      if (err instanceof AppError && err.status === 401) await options.onRejected?.(ctx);
      throw err;
    }
    return next();
  };
}
