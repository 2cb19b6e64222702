/** What the gateway does when the shared store cannot answer in time (spec §4, AegisTenant rateLimit). */
export const FAILURE_POLICIES = ['Open', 'Closed', 'LocalFallback'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/** Who made a decision: the configured store, the local fallback, or the failure policy itself. */
export const DECIDED_BY = ['store', 'fallback', 'open', 'closed'] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];

/** One quota: a token bucket of `burst` tokens refilled at `requestsPerMinute`. */
export interface LimitRule {
  /** Stable policy name, e.g. 'identity', 'route:agent-runs', 'tenant'. Also the metrics label. */
  id: string;
  requestsPerMinute: number;
  burst: number;
}

export interface LimitCheck {
  tenantId: string;
  rule: LimitRule;
  /** The partition within the tenant: a user id, a client IP, or '*' for tenant-wide rules. */
  identity: string;
}

/** One check's figures after a decision by a store (memory, Redis or the fallback). */
export interface CheckFigures {
  rule: LimitRule;
  /** Whether this bucket alone had a token. */
  allowed: boolean;
  /** Whole tokens left in the bucket. */
  remaining: number;
  /** Seconds until the bucket gains another whole token (0 when it is full). */
  resetSeconds: number;
}

export interface LimitResult {
  allowed: boolean;
  /** 'closed': store unreachable and policy Closed (the gateway answers 503). */
  decidedBy: DecidedBy;
  /** The most restrictive check: when denied, the denying bucket with the longest wait; otherwise the
   * bucket with the fewest tokens left. For 'open'/'closed' (no store answered) the rule with the
   * lowest rate, with remaining 0 and resetSeconds 0. */
  rule: LimitRule;
  remaining: number;
  resetSeconds: number;
  /** Whole seconds (≥ 1) to wait before retrying when not allowed; 0 when allowed. */
  retryAfterSeconds: number;
  /** Figures of every check in request order; empty when no store answered ('open' / 'closed'). */
  checks: CheckFigures[];
}

export interface RateLimiter {
  /** All checks are consumed atomically: one token from each bucket only if every bucket has one. */
  consume(checks: readonly LimitCheck[], policy: FailurePolicy): Promise<LimitResult>;
  /** The same decision as consume(), when it can be made without waiting (the memory limiter always,
   * the Redis limiter while it skips the store); undefined otherwise, and nothing was consumed, so the
   * caller then awaits consume(). Spares the gateway's hot path a promise per request. */
  consumeNow?(checks: readonly LimitCheck[], policy: FailurePolicy): LimitResult | undefined;
  /** 'ok' | 'degraded' (store unreachable) — for /ready and metrics. */
  status(): LimiterStatus;
  close(): Promise<void>;
}

export type LimiterStatus = 'ok' | 'degraded';

/** Structural match for a prom-client `Counter<'rule' | 'outcome' | 'decided_by'>`. Labels are bounded:
 * rule ids come from configuration, never from request data. */
export interface DecisionCounter {
  inc(labels: { rule: string; outcome: 'allowed' | 'denied'; decided_by: DecidedBy }): void;
}

/** Structural match for a prom-client `Counter<'reason'>` counting failed store calls. */
export interface StoreErrorCounter {
  inc(labels: { reason: 'timeout' | 'unavailable' | 'error' }): void;
}

export interface LimiterMetrics {
  decisions?: DecisionCounter;
  storeErrors?: StoreErrorCounter;
}

/** The part of a pino logger the limiter uses. */
export interface LimiterLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
