import { missingTokenError, requestToken, type Role } from '@aegis/common';
import type { Context } from 'koa';

/** The caller's token (already verified by `authorize`), forwarded to the knowledge graph so it
 * scopes and authorises the same way. */
export function callerToken(ctx: Pick<Context, 'get'>): string {
  const token = requestToken(ctx);
  if (token === undefined) throw missingTokenError();
  return token;
}

/** Roles that may read jobs (every role), and that may ingest (operator; admin passes every check). */
export const READ_ROLES: Role[] = ['viewer', 'operator', 'reviewer'];
export const INGEST_ROLES: Role[] = ['operator'];
