import {
  AppError,
  authenticateRequest,
  ForbiddenError,
  NotFoundError,
  requestToken,
  UnauthorizedError,
  type CustomResponse,
  type HttpMethod,
  type Identity,
  type ServiceApi,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import { z } from 'zod';
import type { Accounts, SignedToken } from '../accounts';
import type { KeyRing } from '../store/keyring';
import { findUser } from '../store/users';
import { clearedTokenCookie, tokenCookie, type CookieOptions } from './context';
import { jwksSchema, loggedOutSchema, meSchema, tokenSchema, validationSchema } from './schemas';
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
  grant_type: z.literal('password').optional().describe('Optional: a login is the password grant'),
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** An internal service's own token (ADR 0019): its registry name and `SERVICE_CLIENT_SECRET`. */
const clientCredentialsSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(200).describe('The service’s name in the registry'),
  client_secret: z.string().min(1).max(1024),
});

const tokenRequestSchema = z.discriminatedUnion('grant_type', [loginSchema, clientCredentialsSchema]);

const validateSchema = z.object({ token: z.string().min(1).max(8192).optional() }).optional();

/** A JSON answer with the headers the handler sets (name → what it holds). */
function answer(description: string, schema: z.ZodType, headers: Record<string, string>): CustomResponse {
  return {
    description,
    content: { 'application/json': { schema } },
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        { description: value, schema: { type: 'string' } },
      ]),
    ),
  };
}

/** The token answer of spec §2 (`user_id` is the token's subject). */
const tokenAnswer = ({ token, claims }: SignedToken) => ({
  access_token: token,
  token_type: 'bearer' as const,
  expires_in: claims.exp - claims.iat,
  user_id: claims.user_id,
  roles: claims.roles,
  email: claims.email,
  display_name: claims.display_name,
  tenant_id: claims.tenant_id,
});

const validation = (identity: Identity) => ({
  valid: true,
  user_id: identity.userId,
  roles: identity.roles,
  tenant_id: identity.tenantId,
});

/** Forward-auth answers every method a proxy may ask with (HEAD comes with GET). */
const FORWARD_AUTH_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete', 'options'];

const tags = ['session'];

/** Login, logout, me, validate, forward-auth and the JWKS (spec §2). */
export function sessionRoutes(api: ServiceApi, deps: SessionRouteDeps): void {
  api.route({
    method: 'post',
    path: '/auth/token',
    summary: 'Log in with email and password (sets the aegis_token cookie), or take a service token',
    description:
      'An unknown email, a wrong password, an inactive or a locked-out account all answer the same 401. With `grant_type: client_credentials`, an internal service (`client_id`: its registry name, `client_secret`: `SERVICE_CLIENT_SECRET`) gets a short-lived token with `sub: service:<name>`, tenant `default` and the role `service`, and no cookie; an unknown client, a wrong secret or an unconfigured one answer 401 `invalid_client`. The right password of a user whose tenant is suspended answers 403 `tenant_suspended` (nothing is recorded, no token is issued).',
    tags,
    roles: 'public',
    body: tokenRequestSchema,
    responses: {
      200: answer('The token, also set as the aegis_token cookie', tokenSchema, {
        'Set-Cookie': 'aegis_token=<jwt>; HttpOnly; Path=/; SameSite=Lax; Max-Age=<ttl>',
        'Cache-Control': 'no-store',
      }),
    },
    errors: [401, 403],
    handler: async (ctx, { body }) => {
      if (body.grant_type === 'client_credentials') {
        // No cookie: a service keeps its token in memory and renews it.
        const issued = await deps.accounts.issueServiceToken(body.client_id, body.client_secret);
        ctx.set('Cache-Control', 'no-store');
        return tokenAnswer(issued);
      }
      const issued = await deps.accounts.login(body.email, body.password);
      ctx.set('Cache-Control', 'no-store');
      ctx.append('Set-Cookie', tokenCookie(issued.token, deps.tokenTtlSec, deps.cookie));
      return tokenAnswer(issued);
    },
  });

  api.route({
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the token (until its expiry) and clear the cookie',
    description: 'The cookie is cleared on the 401 too (an invalid or expired token).',
    tags,
    // Public so the handler can clear the cookie on a 401; it verifies the token itself.
    roles: 'public',
    authenticates: 'required',
    responses: {
      200: answer('Logged out; the cookie is cleared', loggedOutSchema, {
        'Set-Cookie': 'aegis_token=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0',
      }),
    },
    handler: async (ctx) => {
      const cleared = clearedTokenCookie(deps.cookie);
      try {
        const identity = await authenticateRequest(ctx, deps.verifier);
        ctx.state.identity = identity;
        await deps.accounts.logout(identity);
      } catch (err) {
        // An invalid or expired token, or one of a suspended tenant, still gets its cookie cleared.
        if (err instanceof UnauthorizedError || err instanceof ForbiddenError)
          throw new AppError(err.status, err.code, err.detail, { 'Set-Cookie': cleared });
        throw err;
      }
      ctx.append('Set-Cookie', cleared);
      return { detail: 'Logged out' };
    },
  });

  api.route({
    method: 'get',
    path: '/auth/me',
    summary: 'The caller',
    tags,
    roles: 'any',
    responses: { 200: meSchema },
    handler: async (_ctx, { identity }) => {
      const user = await findUser(deps.store, identity.tenantId, identity.userId);
      if (!user) throw new UnauthorizedError('Invalid token', 'invalid_token');
      return { user_id: user.id, ...userView(user, deps.now()) };
    },
  });

  api.route({
    method: 'post',
    path: '/auth/validate',
    summary: 'Validate a token (body `token`, else the request token); invalid tokens answer 401',
    tags,
    roles: 'public',
    authenticates: 'optional',
    body: validateSchema,
    responses: { 200: validationSchema },
    handler: async (ctx, { body }) => {
      const token = body?.token ?? requestToken(ctx);
      if (token === undefined) throw new UnauthorizedError('Authorization header required', 'missing_token');
      const identity = await deps.verifier.verify(token);
      return validation(identity);
    },
  });

  for (const method of FORWARD_AUTH_METHODS) {
    api.route({
      method,
      path: '/auth/forward-auth',
      summary: 'Forward-auth for proxies (any method): 200 with the identity headers, or 401',
      tags,
      roles: 'any',
      responses: {
        200: answer('Authenticated', validationSchema, {
          'X-Aegis-User-Id': 'The caller',
          'X-Aegis-Tenant-Id': 'The caller’s tenant',
          'X-Aegis-Roles': 'Comma-separated roles',
          'Cache-Control': 'no-store',
        }),
      },
      handler: (ctx, { identity }) => {
        ctx.set('X-Aegis-User-Id', identity.userId);
        ctx.set('X-Aegis-Tenant-Id', identity.tenantId);
        ctx.set('X-Aegis-Roles', identity.roles.join(','));
        ctx.set('Cache-Control', 'no-store');
        return validation(identity);
      },
    });
  }

  api.route({
    method: 'get',
    path: '/auth/.well-known/jwks.json',
    summary: 'Public signing keys (JWKS)',
    tags,
    roles: 'public',
    responses: {
      200: answer('Public keys of the current, pending and previous signing keys', jwksSchema, {
        'Cache-Control': 'no-cache',
      }),
    },
    errors: [404],
    handler: async (ctx) => {
      const jwks = await deps.keyRing.jwks();
      if (jwks.keys.length === 0) throw new NotFoundError('No signing keys', 'no_keys');
      ctx.set('Cache-Control', 'no-cache');
      return jwks;
    },
  });
}
