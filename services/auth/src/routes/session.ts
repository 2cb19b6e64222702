import { AppError, NotFoundError, parseBody, UnauthorizedError, type TokenVerifier } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import type { Accounts } from '../accounts';
import type { KeyRing } from '../store/keyring';
import { findUser } from '../store/users';
import type { Store } from '@aegis/common';
import { authenticate, clearedTokenCookie, requestToken, tokenCookie, type CookieOptions } from './context';
import { userView } from './views';

export interface SessionRouteDeps {
  accounts: Accounts;
  verifier: TokenVerifier;
  keyRing: KeyRing;
  store: Store;
  tokenTtlSec: number;
  cookie: CookieOptions;
  now: () => number;
}

const loginSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const validateSchema = z.object({ token: z.string().min(1).max(8192).optional() }).optional();

/** Login, logout, me, validate, forward-auth and the JWKS (spec §2). */
export function sessionRoutes(router: Router, deps: SessionRouteDeps): void {
  router.post('/auth/token', async (ctx) => {
    ctx.state.route = 'POST /auth/token';
    const body = parseBody(ctx, loginSchema);
    const { token, claims, user } = await deps.accounts.login(body.email, body.password);
    ctx.set('Cache-Control', 'no-store');
    ctx.append('Set-Cookie', tokenCookie(token, deps.tokenTtlSec, deps.cookie));
    ctx.body = {
      access_token: token,
      token_type: 'bearer',
      expires_in: claims.exp - claims.iat,
      user_id: user.id,
      roles: claims.roles,
      email: claims.email,
      display_name: claims.display_name,
      tenant_id: claims.tenant_id,
    };
  });

  router.post('/auth/logout', async (ctx) => {
    ctx.state.route = 'POST /auth/logout';
    const cleared = clearedTokenCookie(deps.cookie);
    try {
      const identity = await authenticate(ctx, deps.verifier);
      await deps.accounts.logout(identity);
    } catch (err) {
      // An invalid or expired token still gets its cookie cleared.
      if (err instanceof UnauthorizedError)
        throw new AppError(401, err.code, err.detail, { 'Set-Cookie': cleared });
      throw err;
    }
    ctx.append('Set-Cookie', cleared);
    ctx.body = { detail: 'Logged out' };
  });

  router.get('/auth/me', async (ctx) => {
    ctx.state.route = 'GET /auth/me';
    const identity = await authenticate(ctx, deps.verifier);
    const user = await findUser(deps.store, identity.tenantId, identity.userId);
    if (!user) throw new UnauthorizedError('Invalid token', 'invalid_token');
    ctx.body = { user_id: user.id, ...userView(user, deps.now()) };
  });

  router.post('/auth/validate', async (ctx) => {
    ctx.state.route = 'POST /auth/validate';
    const body = parseBody(ctx, validateSchema);
    const token = body?.token ?? requestToken(ctx);
    if (token === undefined) throw new UnauthorizedError('Authorization header required', 'missing_token');
    const identity = await deps.verifier.verify(token);
    ctx.body = { valid: true, user_id: identity.userId, roles: identity.roles, tenant_id: identity.tenantId };
  });

  router.all('/auth/forward-auth', async (ctx) => {
    ctx.state.route = 'ANY /auth/forward-auth';
    const identity = await authenticate(ctx, deps.verifier);
    ctx.set('X-Aegis-User-Id', identity.userId);
    ctx.set('X-Aegis-Tenant-Id', identity.tenantId);
    ctx.set('X-Aegis-Roles', identity.roles.join(','));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { valid: true, user_id: identity.userId, roles: identity.roles, tenant_id: identity.tenantId };
  });

  router.get('/auth/.well-known/jwks.json', async (ctx) => {
    ctx.state.route = 'GET /auth/.well-known/jwks.json';
    const jwks = await deps.keyRing.jwks();
    if (jwks.keys.length === 0) throw new NotFoundError('No signing keys', 'no_keys');
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = jwks;
  });
}
