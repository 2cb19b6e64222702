import { importJWK, type JWK, type KeyLike } from 'jose';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../errors';
import { invalidTokenError } from './claims';

export interface JsonWebKeySet {
  keys: JWK[];
}

export interface KeySetOptions {
  /** Fetches the current JWKS (HTTP for remote verifiers, the key ring in process). */
  load: () => Promise<JsonWebKeySet>;
  /** Algorithms accepted; keys whose `alg` is outside are ignored. */
  algorithms: readonly string[];
  /** An unknown `kid` triggers a reload at most this often. */
  refreshMinIntervalMs: number;
  /** Known keys are reloaded in the background when older than this (drops retired keys). */
  maxAgeMs: number;
  logger?: Logger;
  now?: () => number;
}

export interface KeySet {
  /** Resolves the verification key for a token header; throws 401 for an unknown kid, 503 when no key
   * set could ever be loaded. */
  keyFor(header: { kid?: string; alg?: string }): Promise<KeyLike | Uint8Array>;
  /** True when the last loaded key set holds `kid`. */
  has(kid: string): boolean;
  /** Reloads now, ignoring the rate limit (the issuer just rotated its keys). */
  reload(): Promise<void>;
  /** Number of load attempts so far (observability and tests). */
  readonly loads: number;
}

interface Loaded {
  keys: Map<string, { jwk: JWK; key?: KeyLike | Uint8Array }>;
  at: number;
}

/** A cached JWKS with a rate-limited refresh on unknown `kid` and single-flight loading. A failed load
 * keeps the previous keys. Before the first successful load, retries are spaced by at most 1 s. */
export function createKeySet(options: KeySetOptions): KeySet {
  const now = options.now ?? Date.now;
  let loaded: Loaded | undefined;
  let lastAttempt = -Infinity;
  let inFlight: Promise<void> | undefined;
  let loads = 0;

  const reload = (): Promise<void> => {
    if (inFlight) return inFlight;
    lastAttempt = now();
    loads += 1;
    inFlight = (async () => {
      try {
        const set = await options.load();
        if (!set || !Array.isArray(set.keys)) throw new Error('JWKS has no keys array');
        const keys: Loaded['keys'] = new Map();
        for (const jwk of set.keys) {
          if (typeof jwk.kid !== 'string' || !jwk.kid) continue;
          if (jwk.use !== undefined && jwk.use !== 'sig') continue;
          if (jwk.alg !== undefined && !options.algorithms.includes(jwk.alg)) continue;
          keys.set(jwk.kid, { jwk });
        }
        loaded = { keys, at: now() };
      } catch (err) {
        options.logger?.warn({ err: (err as Error).message }, 'Failed to load JWKS; kept the previous keys');
        if (!loaded) throw new ServiceUnavailableError('Authentication keys unavailable', 'auth_unavailable');
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const minInterval = () =>
    loaded ? options.refreshMinIntervalMs : Math.min(1000, options.refreshMinIntervalMs);

  return {
    get loads() {
      return loads;
    },
    has: (kid) => loaded?.keys.has(kid) ?? false,
    async reload() {
      if (inFlight) await inFlight.catch(() => undefined);
      await reload();
    },
    async keyFor(header) {
      const { kid, alg } = header;
      if (!kid || !alg) throw invalidTokenError();
      if (!loaded || !loaded.keys.has(kid)) {
        if (inFlight) await inFlight.catch(() => undefined);
        else if (now() - lastAttempt >= minInterval()) await reload().catch(() => undefined);
        if (!loaded) throw new ServiceUnavailableError('Authentication keys unavailable', 'auth_unavailable');
      } else if (now() - loaded.at > options.maxAgeMs && !inFlight && now() - lastAttempt >= minInterval()) {
        void reload().catch(() => undefined);
      }
      const entry = loaded.keys.get(kid);
      if (!entry) throw invalidTokenError();
      if (entry.jwk.alg !== undefined && entry.jwk.alg !== alg) throw invalidTokenError();
      if (!entry.key) {
        try {
          entry.key = await importJWK(entry.jwk, alg);
        } catch {
          throw invalidTokenError();
        }
      }
      return entry.key;
    },
  };
}
