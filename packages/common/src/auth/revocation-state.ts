import { z } from 'zod';

/** The feed served by the auth service at `GET /internal/revocations?since=<cursor>`. */
export const revocationFeedSchema = z.object({
  /** Opaque cursor to pass as `since` next time. */
  cursor: z.string().min(1),
  /** True when this answer is the complete state (first call): replace rather than merge. */
  full: z.boolean(),
  revoked_tokens: z.array(z.object({ jti: z.string().min(1), exp: z.number() })),
  users: z.array(
    z.object({
      user_id: z.string().min(1),
      active: z.boolean(),
      /** Tokens of this user issued before this time (seconds) are refused; null when never cut off. */
      tokens_valid_from: z.number().nullable(),
    }),
  ),
});

export type RevocationFeed = z.infer<typeof revocationFeedSchema>;

/** The in-memory revocation state: pure, no I/O. Lookups are map/set hits. */
export class RevocationState {
  private revoked = new Map<string, number>();
  private inactive = new Set<string>();
  private cutoffs = new Map<string, number>();

  /** Applies a feed answer. A full answer replaces the user state; revoked tokens are only ever added
   * (a revocation is never undone, and local ones may not have reached the feed yet) and pruned at expiry. */
  apply(feed: RevocationFeed, nowSec: number): void {
    if (feed.full) {
      this.inactive = new Set();
      this.cutoffs = new Map();
    }
    for (const t of feed.revoked_tokens) if (t.exp > nowSec) this.revoked.set(t.jti, t.exp);
    for (const u of feed.users) {
      if (u.active) this.inactive.delete(u.user_id);
      else this.inactive.add(u.user_id);
      if (u.tokens_valid_from === null) this.cutoffs.delete(u.user_id);
      else this.cutoffs.set(u.user_id, u.tokens_valid_from);
    }
    this.prune(nowSec);
  }

  revoke(jti: string, exp: number): void {
    this.revoked.set(jti, exp);
  }

  /** Drops revocations of tokens that have expired anyway. */
  prune(nowSec: number): void {
    for (const [jti, exp] of this.revoked) if (exp <= nowSec) this.revoked.delete(jti);
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  isUserInactive(userId: string): boolean {
    return this.inactive.has(userId);
  }

  isIssuedBeforeCutoff(userId: string, iat: number): boolean {
    const from = this.cutoffs.get(userId);
    return from !== undefined && iat < from;
  }

  get sizes(): { revoked: number; inactive: number; cutoffs: number } {
    return { revoked: this.revoked.size, inactive: this.inactive.size, cutoffs: this.cutoffs.size };
  }
}
