import { z } from 'zod';
import { UnauthorizedError } from '../errors';
import { ROLES, type Identity } from './identity';

export const TOKEN_ISSUER = 'aegis-auth';
export const TOKEN_AUDIENCE = 'aegis-api';
/** The one signing algorithm: Ed25519 (EdDSA). Verifiers pin it. */
export const TOKEN_ALGORITHM = 'EdDSA';
/** Name of the cookie that carries the token for browsers (EventSource cannot set headers). */
export const TOKEN_COOKIE = 'aegis_token';

/** The JWT payload of spec §2. `sub` and `user_id` carry the same value. */
export const tokenClaimsSchema = z
  .object({
    sub: z.string().min(1),
    user_id: z.string().min(1),
    email: z.string().min(1),
    display_name: z.string().nullable(),
    roles: z.array(z.enum(ROLES)),
    tenant_id: z.string().min(1),
    iss: z.string(),
    aud: z.union([z.string(), z.array(z.string())]),
    iat: z.number().int(),
    exp: z.number().int(),
    jti: z.string().min(1),
    nbf: z.number().int().optional(),
  })
  .refine((c) => c.sub === c.user_id, { message: 'sub and user_id differ', path: ['user_id'] });

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

export const missingTokenError = () =>
  new UnauthorizedError('Authorization header required', 'missing_token');
export const invalidTokenError = () => new UnauthorizedError('Invalid token', 'invalid_token');
export const expiredTokenError = () => new UnauthorizedError('Token has expired', 'token_expired');

/** Checks the claim shape of an already signature-verified payload and maps it to an Identity. */
export function identityFromClaims(payload: unknown): Identity {
  const parsed = tokenClaimsSchema.safeParse(payload);
  if (!parsed.success) throw invalidTokenError();
  const c = parsed.data;
  return {
    userId: c.user_id,
    email: c.email,
    displayName: c.display_name,
    roles: [...new Set(c.roles)],
    tenantId: c.tenant_id,
    jti: c.jti,
    exp: c.exp,
    iat: c.iat,
  };
}

/** Extracts the token of a request: `Authorization: Bearer <token>` first, else the `aegis_token`
 * cookie. Returns undefined when neither is present; a malformed Authorization header is an empty
 * string (so callers answer 401 invalid rather than "missing"). */
export function tokenFromRequest(
  authorization: string | undefined,
  cookieHeader: string | undefined,
): string | undefined {
  if (authorization !== undefined && authorization !== '') {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return m ? m[1] : '';
  }
  return cookieValue(cookieHeader, TOKEN_COOKIE);
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
