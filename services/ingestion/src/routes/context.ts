import { missingTokenError, requestToken, type Role } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { Context } from 'koa';

/** Whom the knowledge-graph writes are for: the caller's token (already verified by `authorize`),
 * forwarded so the graph authorises the same way, and the tenant `authorize` resolved (the token's,
 * or the one a platform admin named with `tenant_id`), so jobs and their data land in one tenant. */
export function graphCaller(ctx: Pick<Context, 'get'>, tenant: string): GraphCaller {
  const token = requestToken(ctx);
  if (token === undefined) throw missingTokenError();
  return { token, tenantId: tenant };
}

/** Roles that may read jobs (every role), and that may ingest (operator; admin passes every check). */
export const READ_ROLES: Role[] = ['viewer', 'operator', 'reviewer'];
export const INGEST_ROLES: Role[] = ['operator'];
