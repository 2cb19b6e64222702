import {
  isPlatformAdmin,
  missingTokenError,
  tokenFromRequest,
  ForbiddenError,
  type Identity,
  type TokenVerifier,
} from '@aegis/common';
import type { Context } from 'koa';

/** The caller's verified identity (the service verifies every token itself; it never trusts the
 * gateway's X-Aegis-* headers). Token from `Authorization: Bearer`, else the `aegis_token` cookie. */
export async function authenticate(ctx: Context, verifier: TokenVerifier): Promise<Identity> {
  const token = requestToken(ctx);
  if (token === undefined) throw missingTokenError();
  const identity = await verifier.verify(token);
  ctx.state.identity = identity;
  return identity;
}

export function requestToken(ctx: Context): string | undefined {
  return tokenFromRequest(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
}

/** The tenant an admin acts on: their own, or (platform admins only) the one they name. Naming another
 * tenant without being a platform admin is a 403 (spec §3). */
export function targetTenant(identity: Identity, requested: string | undefined): string {
  if (requested === undefined || requested === identity.tenantId) return identity.tenantId;
  if (!isPlatformAdmin(identity)) throw new ForbiddenError('Cannot act on another tenant', 'cross_tenant');
  return requested;
}

export interface CookieOptions {
  secure: boolean;
}

/** `aegis_token=<jwt>; HttpOnly; Path=/; SameSite=Lax; Max-Age=<ttl>` (+ `; Secure`), spec §2. */
export function tokenCookie(token: string, maxAgeSec: number, options: CookieOptions): string {
  return `aegis_token=${token}; HttpOnly; Path=/; SameSite=Lax; Max-Age=${maxAgeSec}${options.secure ? '; Secure' : ''}`;
}

export function clearedTokenCookie(options: CookieOptions): string {
  return tokenCookie('', 0, options);
}
