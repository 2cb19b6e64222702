import { type BucketParams, type BucketState, consumeAll, refill } from './bucket';
import { prepareChecksWithKeys, recordDecision, storeResult } from './result';
import type { FailurePolicy, LimitCheck, LimitResult, LimiterMetrics, RateLimiter } from './types';

export interface MemoryLimiterOptions {
  /** Most buckets held at once (default 100 000). */
  maxKeys?: number;
  /** Millisecond clock (default Date.now); injectable for tests. */
  now?: () => number;
  metrics?: LimiterMetrics;
  /** Decisions are reported as this (the Redis limiter's local fallback reports 'fallback'). */
  decidedBy?: 'store' | 'fallback';
}

interface Entry {
  state: BucketState;
  params: BucketParams;
}

/** How many least-recently-used entries one eviction pass may inspect. */
const SWEEP_BUDGET = 1000;

/**
 * A token-bucket limiter held in this process: exact for one replica, and the local fallback of the
 * Redis limiter. Buckets live in a Map kept in least-recently-used order (touched buckets are moved to
 * the end). The Map never holds more than `maxKeys` buckets: when full, buckets from the cold end that
 * have refilled completely are dropped (dropping a full bucket changes nothing, because an unknown
 * bucket starts full); if none has, the least recently used bucket is dropped, which can only grant
 * that identity a fresh bucket early.
 */
export function createMemoryLimiter(
  opts: MemoryLimiterOptions = {},
): RateLimiter & { consumeNow: NonNullable<RateLimiter['consumeNow']>; size(): number } {
  const maxKeys = opts.maxKeys ?? 100_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1)
    throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
  const now = opts.now ?? Date.now;
  const decidedBy = opts.decidedBy ?? 'store';
  const buckets = new Map<string, Entry>();

  function makeRoom(at: number, needed: number): void {
    let inspected = 0;
    for (const [key, entry] of buckets) {
      if (buckets.size + needed <= maxKeys || inspected >= SWEEP_BUDGET) break;
      inspected += 1;
      if (refill(entry.state, entry.params, at).units >= entry.params.capacity) buckets.delete(key);
    }
    while (buckets.size + needed > maxKeys) {
      const oldest = buckets.keys().next();
      if (oldest.done) break;
      buckets.delete(oldest.value);
    }
  }

  function consumeNow(checks: readonly LimitCheck[]): LimitResult {
    const { params, keys } = prepareChecksWithKeys(checks);
    const at = now();
    const entries = keys.map((key) => buckets.get(key));
    const decision = consumeAll(
      entries.map((entry) => entry?.state),
      params,
      at,
    );
    if (decision.allowed) {
      const missing = entries.filter((entry) => entry === undefined).length;
      if (missing > 0) makeRoom(at, Math.min(missing, maxKeys));
      keys.forEach((key, i) => {
        const entry = entries[i];
        if (entry) {
          entry.state = decision.states[i];
          entry.params = params[i];
          buckets.delete(key); // re-insert: the Map stays in least-recently-used order
          buckets.set(key, entry);
        } else {
          buckets.set(key, { state: decision.states[i], params: params[i] });
        }
      });
      while (buckets.size > maxKeys) {
        const oldest = buckets.keys().next();
        if (oldest.done) break;
        buckets.delete(oldest.value);
      }
    }
    return storeResult(
      checks,
      params,
      decision.states.map((s) => s.units),
      decision.allowed,
      decidedBy,
    );
  }

  const decide = (checks: readonly LimitCheck[]): LimitResult => {
    const result = consumeNow(checks);
    recordDecision(opts.metrics, result);
    return result;
  };

  return {
    async consume(checks: readonly LimitCheck[], _policy: FailurePolicy): Promise<LimitResult> {
      return decide(checks);
    },
    consumeNow: (checks: readonly LimitCheck[], _policy: FailurePolicy): LimitResult => decide(checks),
    status: () => 'ok',
    size: () => buckets.size,
    async close(): Promise<void> {
      buckets.clear();
    },
  };
}
