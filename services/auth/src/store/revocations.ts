import type { RevocationFeed } from '@aegis/common';
import type { AuthDb } from './schema';

/** Rows changed this long before the cursor are sent again, so a write that committed late (or on a
 * replica with a slightly different clock) is never missed. Re-sending is harmless: the feed is
 * idempotent. */
export const FEED_OVERLAP_MS = 5000;

export async function revokeToken(
  { db }: AuthDb,
  token: { jti: string; tenantId: string; userId: string; exp: number },
  nowMs: number,
): Promise<void> {
  await db
    .insertInto('revoked_tokens')
    .values({
      jti: token.jti,
      tenant_id: token.tenantId,
      user_id: token.userId,
      expires_at: token.exp,
      revoked_at: nowMs,
    })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

/** Forgets revocations of tokens that have expired anyway. */
export async function purgeExpiredRevocations({ db }: AuthDb, nowSec: number): Promise<number> {
  const result = await db.deleteFrom('revoked_tokens').where('expires_at', '<=', nowSec).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The revocation feed across all tenants (it serves the gateway, which guards every tenant).
 * Without `since`: the full state — unexpired revoked tokens, inactive users and cut-offs still
 * younger than the longest token lifetime. With `since`: what changed from `since - overlap` on. */
export async function revocationFeed(
  { db }: AuthDb,
  since: number | undefined,
  nowMs: number,
  maxTokenTtlSec: number,
): Promise<RevocationFeed> {
  const nowSec = Math.floor(nowMs / 1000);
  const full = since === undefined;
  let tokens = db.selectFrom('revoked_tokens').select(['jti', 'expires_at']).where('expires_at', '>', nowSec);
  if (!full) tokens = tokens.where('revoked_at', '>=', since - FEED_OVERLAP_MS);
  const users = db.selectFrom('users').select(['id', 'active', 'tokens_valid_from']);
  const changed = full
    ? users.where((eb) =>
        eb.or([eb('active', '=', 0), eb('tokens_valid_from', '>', nowSec - maxTokenTtlSec)]),
      )
    : users.where('status_changed_at', '>=', since - FEED_OVERLAP_MS);
  const tokenRows = await tokens.execute();
  const userRows = await changed.execute();
  return {
    cursor: String(nowMs),
    full,
    revoked_tokens: tokenRows.map((t) => ({ jti: t.jti, exp: Number(t.expires_at) })),
    users: userRows.map((u) => ({
      user_id: u.id,
      active: Number(u.active) === 1,
      tokens_valid_from: u.tokens_valid_from === null ? null : Number(u.tokens_valid_from),
    })),
  };
}
