import { missingTokenError, requestToken, type Logger, type Role } from '@aegis/common';
import type { GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import type { Context } from 'koa';
import type { FlaringStore } from '../store/schema';

/** What every flaring-monitor route file receives from createApp. */
export interface RouteDeps {
  store: FlaringStore;
  kg: KnowledgeGraphClient;
  logger: Logger;
  /** Epoch milliseconds; tests fix it. */
  now: () => number;
}

/** Whom knowledge-graph reads are for: the caller's (verified) token, forwarded so the graph scopes
 * and authorises the same way, and the tenant `authorize` resolved. */
export function graphCaller(ctx: Pick<Context, 'get'>, tenant: string): GraphCaller {
  const token = requestToken(ctx);
  if (token === undefined) throw missingTokenError();
  return { token, tenantId: tenant };
}

/** Writes (flare events, ingest) need the operator role; admin passes every check. Any role reads. */
export const WRITE_ROLES: Role[] = ['operator'];
