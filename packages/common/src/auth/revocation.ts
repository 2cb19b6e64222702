import type { Logger } from 'pino';
import { revocationFeedSchema, RevocationState, type RevocationFeed } from './revocation-state';

/** Answers "is this token still allowed?" from memory. Used by the token verifier on every call. */
export interface RevocationChecker {
  /** True once the first sync succeeded. */
  readonly ready: boolean;
  /** Time (ms) of the last successful sync. */
  readonly lastSyncedAt: number | undefined;
  /** Resolves true once ready, false after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<boolean>;
  isRevoked(jti: string): boolean;
  isUserInactive(userId: string): boolean;
  /** True when the user's tokens issued before a cut-off (deactivation, password reset) are refused. */
  isIssuedBeforeCutoff(userId: string, iat: number): boolean;
  /** Records a revocation at once (the gateway after a logout passed through it), before the next sync. */
  revokeLocally(jti: string, exp: number): void;
  /** Syncs now (single flight); rejects when the source is unreachable. */
  refresh(): Promise<void>;
  close(): void;
}

export interface RevocationCheckerOptions {
  /** Feed URL, e.g. http://127.0.0.1:8009/internal/revocations. */
  url?: string;
  /** Alternative source (the auth service reads its own store). */
  fetchFeed?: (since: string | undefined) => Promise<RevocationFeed>;
  pollIntervalMs?: number;
  fetchTimeoutMs?: number;
  logger?: Logger;
  now?: () => number;
}

function httpFeed(url: string, timeoutMs: number) {
  return async (since: string | undefined): Promise<RevocationFeed> => {
    const target = new URL(url);
    if (since !== undefined) target.searchParams.set('since', since);
    const res = await fetch(target, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`revocation feed answered ${res.status}`);
    return revocationFeedSchema.parse(await res.json());
  };
}

/** Polls the auth service's revocation feed and keeps the revoked jtis, inactive users and per-user
 * cut-offs in memory. While the feed is unreachable the last known state is kept (and the outage is
 * logged once, its end once); see docs/adr/0003. */
export function createRevocationChecker(options: RevocationCheckerOptions): RevocationChecker {
  const now = options.now ?? Date.now;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let source = options.fetchFeed;
  if (!source) {
    if (!options.url) throw new Error('createRevocationChecker needs url or fetchFeed');
    source = httpFeed(options.url, options.fetchTimeoutMs ?? 2000);
  }
  const fetchFeed = source;
  const state = new RevocationState();
  let cursor: string | undefined;
  let ready = false;
  let lastSyncedAt: number | undefined;
  let failures = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const readyWaiters = new Set<() => void>();

  const sync = (): Promise<void> => {
    if (inFlight) return inFlight;
    inFlight = (async () => {
      try {
        const feed = await fetchFeed(cursor);
        state.apply(feed, Math.floor(now() / 1000));
        cursor = feed.cursor;
        lastSyncedAt = now();
        if (failures > 0) options.logger?.info({ failures }, 'Resumed syncing token revocations');
        failures = 0;
        if (!ready) {
          ready = true;
          for (const wake of readyWaiters) wake();
          readyWaiters.clear();
        }
      } catch (err) {
        failures += 1;
        if (failures === 1) {
          options.logger?.warn(
            { err: (err as Error).message, lastSyncedAt },
            'Failed to sync token revocations; kept the last known list',
          );
        }
        throw err;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      sync()
        .catch(() => undefined)
        .finally(schedule);
    }, pollIntervalMs);
    timer.unref();
  };

  sync()
    .catch(() => undefined)
    .finally(schedule);

  return {
    get ready() {
      return ready;
    },
    get lastSyncedAt() {
      return lastSyncedAt;
    },
    waitReady(timeoutMs: number): Promise<boolean> {
      if (ready) return Promise.resolve(true);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(t);
          resolve(ready);
        };
        const t = setTimeout(() => {
          readyWaiters.delete(wake);
          resolve(ready);
        }, timeoutMs);
        t.unref();
        readyWaiters.add(wake);
      });
    },
    isRevoked: (jti) => state.isRevoked(jti),
    isUserInactive: (userId) => state.isUserInactive(userId),
    isIssuedBeforeCutoff: (userId, iat) => state.isIssuedBeforeCutoff(userId, iat),
    revokeLocally(jti, exp) {
      if (exp > now() / 1000) state.revoke(jti, exp);
    },
    async refresh() {
      // A sync already running may have read before the caller's write: wait for it, then sync again.
      if (inFlight) await inFlight.catch(() => undefined);
      return sync();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const wake of readyWaiters) wake();
      readyWaiters.clear();
    },
  };
}
