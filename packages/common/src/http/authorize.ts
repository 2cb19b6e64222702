import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { missingTokenError, tokenFromRequest } from '../auth/claims';
import { requireRole, type Identity, type Role } from '../auth/identity';
import type { TokenVerifier } from '../auth/verifier';
import { resolveTenant } from '../tenant/access';
import type { ServiceState } from './state';
import { parseWith } from './validation';

/** What a route asks of its caller: a listed role (`requireRole` semantics: `admin` passes every
 * check, `viewer` is satisfied by any role), any valid token, or nothing at all. */
export type Access = readonly Role[] | 'any' | 'public';

export interface AuthorizeOptions {
  verifier: TokenVerifier;
  /** Roles of which the caller needs one, or `'any'` for any valid token. */
  roles: readonly Role[] | 'any';
}

/** A tenant id as it may appear in `tenant_id` (a lowercase DNS label). */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The request's token: `Authorization: Bearer`, else the `aegis_token` cookie. An empty string when
 * the Authorization header is not a bearer token (the verifier refuses it). */
export function requestToken(ctx: Pick<Context, 'get'>): string | undefined {
  return tokenFromRequest(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
}

/** Verifies the request's own token (never the gateway's X-Aegis-* headers): 401 when missing or
 * invalid. For the rare handler that must authenticate itself (logout clears its cookie on a 401). */
export async function authenticateRequest(
  ctx: Pick<Context, 'get'>,
  verifier: TokenVerifier,
): Promise<Identity> {
  const token = requestToken(ctx);
  if (token === undefined) throw missingTokenError();
  return verifier.verify(token);
}

const tenantId = z.string().regex(TENANT_ID_PATTERN);
const tenantQuery = z.looseObject({ tenant_id: z.union([tenantId, z.array(tenantId)]).optional() });

/** The tenant a request acts on: the token's, or the one named by `tenant_id` under the one
 * cross-tenant rule (`resolveTenant`). A malformed `tenant_id` is a 422. */
export function requestTenant(identity: Identity, query: unknown): string {
  return resolveTenant(identity, parseWith(tenantQuery, query, 'query').tenant_id);
}

/**
 * Router middleware: verifies the token (401), checks the role (403 `insufficient_role`), resolves
 * the tenant (422 for a malformed `tenant_id`, 403 `cross_tenant`) and sets `ctx.state.identity` and
 * `ctx.state.tenant` for the handlers after it.
 */
export function authorize(options: AuthorizeOptions): Middleware<ServiceState> {
  const { verifier, roles } = options;
  return async function authorizeMiddleware(ctx, next) {
    const identity = await authenticateRequest(ctx, verifier);
    ctx.state.identity = identity;
    if (roles !== 'any') requireRole(identity, ...roles);
    ctx.state.tenant = requestTenant(identity, ctx.query);
    return next();
  };
}
