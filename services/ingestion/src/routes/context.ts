import {
  missingTokenError,
  requireRole,
  tokenFromRequest,
  type Identity,
  type Role,
  type TokenVerifier,
} from '@aegis/common';
import type { Context } from 'koa';

export interface Caller {
  identity: Identity;
  /** The caller's token, forwarded to the knowledge graph so it scopes and authorises the same way. */
  token: string;
}

/** Verifies the caller's token (this service checks every token itself against the auth service's
 * keys and revocations; it never trusts gateway headers) and requires one of `roles`. Token from
 * `Authorization: Bearer`, else the `aegis_token` cookie. */
export async function authorize(ctx: Context, verifier: TokenVerifier, ...roles: Role[]): Promise<Caller> {
  const token = tokenFromRequest(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
  if (token === undefined) throw missingTokenError();
  const identity = await verifier.verify(token);
  ctx.state.identity = identity;
  ctx.state.tenantId = identity.tenantId;
  requireRole(identity, ...roles);
  return { identity, token };
}

/** Roles that may read jobs (every role), and that may ingest (operator; admin passes every check). */
export const READ_ROLES: Role[] = ['viewer', 'operator', 'reviewer'];
export const INGEST_ROLES: Role[] = ['operator'];
