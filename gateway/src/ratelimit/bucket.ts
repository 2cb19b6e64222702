/**
 * Token-bucket math, with no I/O. The Redis Lua script (redis-script.ts) implements exactly the same
 * arithmetic; both work in integer "units" and integer milliseconds so they agree bit for bit:
 *
 * - one token = UNITS_PER_TOKEN (60 000) units, so a rate of `rpm` tokens per minute refills exactly
 *   `rpm` units per millisecond (60 000 ms per minute);
 * - a bucket of `burst` tokens holds `burst * 60 000` units.
 *
 * Everything stays an integer well below 2^53, so JavaScript numbers and Lua (double) numbers are exact.
 */

export const UNITS_PER_TOKEN = 60_000;

export interface BucketParams {
  /** Capacity in units (`burst * UNITS_PER_TOKEN`). */
  capacity: number;
  /** Refill in units per millisecond (= requests per minute). */
  rate: number;
}

export interface BucketState {
  /** Tokens held, in units; 0 ≤ units ≤ capacity. */
  units: number;
  /** Milliseconds timestamp the units were last brought up to date. Never moves backwards. */
  updatedAt: number;
}

export interface BucketFigures {
  /** Whole tokens left. */
  remaining: number;
  /** Milliseconds until one more whole token is available; 0 when the bucket is full. */
  nextTokenMs: number;
  /** Milliseconds until one token is available; 0 when one is available now. */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  fullInMs: number;
}

export function paramsFor(requestsPerMinute: number, burst: number): BucketParams {
  if (!Number.isSafeInteger(requestsPerMinute) || requestsPerMinute < 1) {
    throw new RangeError(`requestsPerMinute must be a positive integer, got ${requestsPerMinute}`);
  }
  if (!Number.isSafeInteger(burst) || burst < 1) {
    throw new RangeError(`burst must be a positive integer, got ${burst}`);
  }
  return { capacity: burst * UNITS_PER_TOKEN, rate: requestsPerMinute };
}

/** A bucket seen for the first time is full. */
export function freshBucket(params: BucketParams, now: number): BucketState {
  return { units: params.capacity, updatedAt: now };
}

/**
 * Brings a bucket up to `now`: adds `rate` units per elapsed millisecond, capped at capacity. A clock
 * that went backwards adds nothing and does not move `updatedAt` back (so no token is ever minted twice
 * for the same interval). A capacity lowered by a configuration change clamps the units.
 */
export function refill(state: BucketState | undefined, params: BucketParams, now: number): BucketState {
  if (!state) return freshBucket(params, now);
  let { units, updatedAt } = state;
  if (now > updatedAt) {
    units = Math.min(params.capacity, units + (now - updatedAt) * params.rate);
    updatedAt = now;
  }
  if (units > params.capacity) units = params.capacity;
  return { units, updatedAt };
}

export interface MultiDecision {
  allowed: boolean;
  /** State of every bucket after the decision (refilled, and one token taken from each if allowed).
   * Stores persist these only when allowed: a denial writes nothing (so a flood of denied requests
   * allocates nothing, and memory and Redis agree even when the clock goes backwards). */
  states: BucketState[];
}

/**
 * The atomic check-and-consume over several buckets: every bucket is refilled, and one token is taken
 * from each only if every bucket holds at least one. A denial consumes nothing anywhere.
 */
export function consumeAll(
  states: ReadonlyArray<BucketState | undefined>,
  params: ReadonlyArray<BucketParams>,
  now: number,
): MultiDecision {
  if (states.length !== params.length) throw new RangeError('states and params differ in length');
  const refilled = states.map((state, i) => refill(state, params[i], now));
  const allowed = refilled.every((state) => state.units >= UNITS_PER_TOKEN);
  if (!allowed) return { allowed, states: refilled };
  return {
    allowed,
    states: refilled.map((s) => ({ units: s.units - UNITS_PER_TOKEN, updatedAt: s.updatedAt })),
  };
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/** What a client can be told about a bucket right after a decision. */
export function figuresOf(units: number, params: BucketParams): BucketFigures {
  const remaining = Math.floor(units / UNITS_PER_TOKEN);
  const full = units >= params.capacity;
  const nextTokenMs = full ? 0 : ceilDiv((remaining + 1) * UNITS_PER_TOKEN - units, params.rate);
  const retryAfterMs = units >= UNITS_PER_TOKEN ? 0 : ceilDiv(UNITS_PER_TOKEN - units, params.rate);
  const fullInMs = full ? 0 : ceilDiv(params.capacity - units, params.rate);
  return { remaining, nextTokenMs, retryAfterMs, fullInMs };
}

/** Milliseconds after which an untouched bucket is full again, so its stored state can be dropped. */
export function idleExpiryMs(units: number, params: BucketParams): number {
  return figuresOf(units, params).fullInMs;
}
