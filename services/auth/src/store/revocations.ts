import { upsertRow, type Queryable, type RevocationFeed } from '@aegis/common';

/** Rows changed this long before the cursor are sent again, so a write that committed late (or on a
 * replica with a slightly different clock) is never missed. Re-sending is harmless: the feed is
 * idempotent. */
export const FEED_OVERLAP_MS = 5000;

export async function revokeToken(
  db: Queryable,
  token: { jti: string; tenantId: string; userId: string; exp: number },
  nowMs: number,
): Promise<void> {
  await upsertRow(
    db,
    'revoked_tokens',
    {
      jti: token.jti,
      tenant_id: token.tenantId,
      user_id: token.userId,
      expires_at: token.exp,
      revoked_at: nowMs,
    },
    ['jti'],
    [],
  );
}

/** Forgets revocations of tokens that have expired anyway. */
export async function purgeExpiredRevocations(db: Queryable, nowSec: number): Promise<number> {
  return (await db.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [nowSec])).changes;
}

/** The revocation feed across all tenants (it serves the gateway, which guards every tenant).
 * Without `since`: the full state — unexpired revoked tokens, inactive users and cut-offs still
 * younger than the longest token lifetime. With `since`: what changed from `since - overlap` on. */
export async function revocationFeed(
  db: Queryable,
  since: number | undefined,
  nowMs: number,
  maxTokenTtlSec: number,
): Promise<RevocationFeed> {
  const nowSec = Math.floor(nowMs / 1000);
  const full = since === undefined;
  const tokens = full
    ? await db.all<{ jti: string; expires_at: number }>(
        'SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > ?',
        [nowSec],
      )
    : await db.all<{ jti: string; expires_at: number }>(
        'SELECT jti, expires_at FROM revoked_tokens WHERE revoked_at >= ? AND expires_at > ?',
        [since - FEED_OVERLAP_MS, nowSec],
      );
  const users = full
    ? await db.all<{ id: string; active: number; tokens_valid_from: number | null }>(
        'SELECT id, active, tokens_valid_from FROM users WHERE active = 0 OR tokens_valid_from > ?',
        [nowSec - maxTokenTtlSec],
      )
    : await db.all<{ id: string; active: number; tokens_valid_from: number | null }>(
        'SELECT id, active, tokens_valid_from FROM users WHERE status_changed_at >= ?',
        [since - FEED_OVERLAP_MS],
      );
  return {
    cursor: String(nowMs),
    full,
    revoked_tokens: tokens.map((t) => ({ jti: t.jti, exp: Number(t.expires_at) })),
    users: users.map((u) => ({
      user_id: u.id,
      active: Number(u.active) === 1,
      tokens_valid_from: u.tokens_valid_from === null ? null : Number(u.tokens_valid_from),
    })),
  };
}
