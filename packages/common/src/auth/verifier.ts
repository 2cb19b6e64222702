import { errors as joseErrors, jwtVerify } from 'jose';
import type { Logger } from 'pino';
import { AppError, ServiceUnavailableError } from '../errors';
import {
  expiredTokenError,
  identityFromClaims,
  invalidTokenError,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from './claims';
import type { Identity } from './identity';
import { createKeySet, type JsonWebKeySet, type KeySet } from './jwks';
import { LruCache } from './lru';
import type { RevocationChecker } from './revocation';

export interface TokenVerifierOptions {
  /** Where the auth service publishes its keys, e.g. http://127.0.0.1:8009/auth/.well-known/jwks.json. */
  jwksUrl?: string;
  /** Alternative key source for in-process verification (the auth service itself). */
  jwks?: () => Promise<JsonWebKeySet>;
  issuer?: string;
  audience?: string;
  /** Pinned algorithms; anything else (none, HS256, ...) is refused before any key is looked at. */
  algorithms?: string[];
  clockToleranceSec?: number;
  /** An unknown `kid` triggers a JWKS reload at most this often. */
  refreshMinIntervalMs?: number;
  /** Known keys are reloaded in the background when older than this. */
  jwksMaxAgeMs?: number;
  /** Timeout of one JWKS HTTP fetch. */
  fetchTimeoutMs?: number;
  revocation?: RevocationChecker;
  /** How long verify() waits for the first revocation sync before answering 503. */
  revocationWaitMs?: number;
  /** Verified tokens kept so the hot path does no crypto. */
  cacheSize?: number;
  logger?: Logger;
  now?: () => number;
}

export interface TokenVerifier {
  /** Resolves the identity of a valid token; rejects with UnauthorizedError ('Invalid token' /
   * 'Token has expired') or ServiceUnavailableError when keys or the revocation list are unavailable. */
  verify(token: string): Promise<Identity>;
  /** The identity of a token this verifier already verified, answered without waiting: undefined
   * whenever verify() has anything to decide (not cached, expired, its key withdrawn, the revocation
   * list not loaded yet, or revoked), so the caller then awaits verify(), which answers as always. */
  verifyNow?(token: string): Identity | undefined;
  /** Reloads the keys now, bypassing the unknown-kid rate limit (after a local key rotation). */
  reloadKeys(): Promise<void>;
  /** JWKS load attempts so far. */
  readonly jwksLoads: number;
  close(): void;
}

/** Loads a JWKS over HTTP with a timeout. */
export function fetchJwks(url: string, timeoutMs: number): () => Promise<JsonWebKeySet> {
  return async () => {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
    return (await res.json()) as JsonWebKeySet;
  };
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const issuer = options.issuer ?? TOKEN_ISSUER;
  const audience = options.audience ?? TOKEN_AUDIENCE;
  const algorithms = options.algorithms ?? [TOKEN_ALGORITHM];
  const clockTolerance = options.clockToleranceSec ?? 5;
  const revocation = options.revocation;
  const revocationWaitMs = options.revocationWaitMs ?? 5000;
  let load = options.jwks;
  if (!load) {
    if (!options.jwksUrl) throw new Error('createTokenVerifier needs jwksUrl or jwks');
    load = fetchJwks(options.jwksUrl, options.fetchTimeoutMs ?? 3000);
  }
  const keySet: KeySet = createKeySet({
    load,
    algorithms,
    refreshMinIntervalMs: options.refreshMinIntervalMs ?? 10_000,
    maxAgeMs: options.jwksMaxAgeMs ?? 300_000,
    logger: options.logger,
    now,
  });
  const cache = new LruCache<string, { identity: Identity; kid: string }>(options.cacheSize ?? 10_000);

  const isRefused = (identity: Identity, list: RevocationChecker) =>
    list.isRevoked(identity.jti) ||
    list.isUserInactive(identity.userId) ||
    list.isIssuedBeforeCutoff(identity.userId, identity.iat);

  const checkRevocation = async (identity: Identity) => {
    if (!revocation) return;
    if (!revocation.ready && !(await revocation.waitReady(revocationWaitMs))) {
      throw new ServiceUnavailableError('Token revocation list unavailable', 'auth_unavailable');
    }
    if (isRefused(identity, revocation)) throw invalidTokenError();
  };

  /** A cached entry still usable: not expired and its key still published. */
  const usable = (entry: { identity: Identity; kid: string } | undefined) =>
    entry !== undefined && entry.identity.exp * 1000 > now() && keySet.has(entry.kid);
  const isWellFormed = (token: string) =>
    typeof token === 'string' && token.length <= 8192 && TOKEN_SHAPE.test(token);
  /** Each caller gets its own copy: the cached identity is never handed out. */
  const copyOf = (identity: Identity): Identity => ({ ...identity, roles: [...identity.roles] });

  const verifySignature = async (token: string): Promise<{ identity: Identity; kid: string }> => {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, (header) => keySet.keyFor(header), {
        issuer,
        audience,
        algorithms,
        clockTolerance,
        currentDate: new Date(now()),
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti', 'sub'],
      });
      return { identity: identityFromClaims(payload), kid: String(protectedHeader.kid) };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw expiredTokenError();
      if (err instanceof AppError) throw err;
      throw invalidTokenError();
    }
  };

  return {
    get jwksLoads() {
      return keySet.loads;
    },
    reloadKeys: () => keySet.reload(),
    async verify(token: string): Promise<Identity> {
      if (!isWellFormed(token)) throw invalidTokenError();
      let entry = cache.get(token);
      // A cached token is dropped once it expired or its key left the JWKS (a withdrawn key).
      if (entry && !usable(entry)) {
        cache.delete(token);
        entry = undefined;
      }
      if (!entry) {
        entry = await verifySignature(token);
        if (entry.identity.exp * 1000 > now()) cache.set(token, entry);
      }
      const { identity } = entry;
      await checkRevocation(identity);
      return copyOf(identity);
    },
    verifyNow(token: string): Identity | undefined {
      // Only tokens that passed verify() are cached, so a cached token is well formed.
      const entry = cache.get(token);
      if (!entry || !usable(entry)) return undefined;
      if (revocation && (!revocation.ready || isRefused(entry.identity, revocation))) return undefined;
      return copyOf(entry.identity);
    },
    close() {
      cache.clear();
    },
  };
}
