import { TOKEN_AUDIENCE, TOKEN_ISSUER, type Role, type TokenClaims } from '@aegis/common';

export interface TokenSubject {
  id: string;
  email: string;
  displayName: string | null;
  roles: Role[];
  tenantId: string;
}

/** The claims of spec §2 for one login: `sub` and `user_id` are the same, `roles` always an array. */
export function buildClaims(user: TokenSubject, nowSec: number, ttlSec: number, jti: string): TokenClaims {
  return {
    sub: user.id,
    user_id: user.id,
    email: user.email,
    display_name: user.displayName,
    roles: [...user.roles],
    tenant_id: user.tenantId,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: nowSec,
    exp: nowSec + ttlSec,
    jti,
  };
}

/** `tokens_valid_from` is the first second whose tokens are accepted after a cut-off (deactivation,
 * password reset): tokens issued in the second of the change are refused too. */
export function cutoffAfter(nowMs: number): number {
  return Math.floor(nowMs / 1000) + 1;
}

/** How long a login must wait so its token's `iat` is not before the user's cut-off (at most 1 s). */
export function waitForCutoffMs(tokensValidFrom: number | null, nowMs: number): number {
  if (tokensValidFrom === null) return 0;
  return Math.max(0, tokensValidFrom * 1000 - nowMs);
}
