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
