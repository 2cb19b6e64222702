/** The cookie's SameSite attribute: Lax (the default) serves pages on the gateway's own site, other
 * origins of that site included; None lets a page on another site send it (with Secure). */
export const COOKIE_SAME_SITE = ['Lax', 'Strict', 'None'] as const;
export type CookieSameSite = (typeof COOKIE_SAME_SITE)[number];

export interface CookieOptions {
  secure: boolean;
  sameSite?: CookieSameSite;
}

/** `aegis_token=<jwt>; HttpOnly; Path=/; SameSite=Lax; Max-Age=<ttl>` (+ `; Secure`), spec §2. */
export function tokenCookie(token: string, maxAgeSec: number, options: CookieOptions): string {
  return `aegis_token=${token}; HttpOnly; Path=/; SameSite=${options.sameSite ?? 'Lax'}; Max-Age=${maxAgeSec}${options.secure ? '; Secure' : ''}`;
}

export function clearedTokenCookie(options: CookieOptions): string {
  return tokenCookie('', 0, options);
}
