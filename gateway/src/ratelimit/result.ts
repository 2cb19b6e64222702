import { type BucketParams, figuresOf, paramsFor } from './bucket';
import type { CheckFigures, DecidedBy, LimitCheck, LimitResult, LimitRule, LimiterMetrics } from './types';

/**
 * The bucket name of a check: tenant, rule and identity, each percent-encoded so that no separator or
 * Redis Cluster hash-tag brace inside a value can make two different checks share a bucket.
 */
export function bucketParts(check: LimitCheck): { tenant: string; rule: string; identity: string } {
  return {
    tenant: encodeURIComponent(check.tenantId),
    rule: encodeURIComponent(check.rule.id),
    identity: encodeURIComponent(check.identity),
  };
}

export function memoryKey(check: LimitCheck): string {
  return `${tenantRulePrefix(check)}${encodeURIComponent(check.identity)}`;
}

/** Per rule object and tenant, the encoded `tenant|rule|` prefix of its memory keys (rules are never
 * changed once built; see paramsByRule). */
const prefixesByRule = new WeakMap<LimitRule, Map<string, string>>();

function tenantRulePrefix(check: LimitCheck): string {
  let byTenant = prefixesByRule.get(check.rule);
  if (!byTenant) {
    byTenant = new Map();
    prefixesByRule.set(check.rule, byTenant);
  }
  let prefix = byTenant.get(check.tenantId);
  if (prefix === undefined) {
    prefix = `${encodeURIComponent(check.tenantId)}|${encodeURIComponent(check.rule.id)}|`;
    byTenant.set(check.tenantId, prefix);
  }
  return prefix;
}

/** Bucket parameters per rule object: the configuration's rules are built once per load and never
 * changed (a reload builds new ones), so each is validated once rather than on every request. */
const paramsByRule = new WeakMap<LimitRule, BucketParams>();

function paramsOfRule(rule: LimitRule): BucketParams {
  let params = paramsByRule.get(rule);
  if (!params) {
    if (!rule.id) throw new RangeError('a rule needs an id');
    params = paramsFor(rule.requestsPerMinute, rule.burst);
    paramsByRule.set(rule, params);
  }
  return params;
}

/** Validates a consume() call and returns each check's bucket parameters and memory key. Throws on a
 * programming or configuration error (no checks, a bad rule, the same bucket named twice). */
export function prepareChecksWithKeys(checks: readonly LimitCheck[]): {
  params: BucketParams[];
  keys: string[];
} {
  if (checks.length === 0) throw new RangeError('consume() needs at least one check');
  const keys = checks.map(memoryKey);
  // A request has a few checks: comparing each pair is cheaper than building a Set per request.
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined) throw new RangeError(`the same bucket is checked twice: ${twice}`);
  return { params: checks.map((check) => paramsOfRule(check.rule)), keys };
}

/** Validates a consume() call and returns each check's bucket parameters. */
export function prepareChecks(checks: readonly LimitCheck[]): BucketParams[] {
  return prepareChecksWithKeys(checks).params;
}

function toSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/**
 * Builds the result of a decision a store made, from each bucket's units after the decision.
 * The most restrictive check is, when denied, the denying bucket with the longest wait; when allowed,
 * the bucket with the fewest whole tokens left (ties: the longest wait for the next token, then the
 * first in request order).
 */
export function storeResult(
  checks: readonly LimitCheck[],
  params: readonly BucketParams[],
  units: readonly number[],
  allowed: boolean,
  decidedBy: Extract<DecidedBy, 'store' | 'fallback'>,
): LimitResult {
  const figures = checks.map((check, i) => ({ check, f: figuresOf(units[i], params[i]) }));
  const perCheck: CheckFigures[] = figures.map(({ check, f }) => ({
    rule: check.rule,
    allowed: allowed || f.retryAfterMs === 0,
    remaining: f.remaining,
    resetSeconds: toSeconds(f.nextTokenMs),
  }));
  let pick = 0;
  for (let i = 1; i < figures.length; i += 1) {
    const a = figures[i].f;
    const b = figures[pick].f;
    const better = allowed
      ? a.remaining < b.remaining || (a.remaining === b.remaining && a.nextTokenMs > b.nextTokenMs)
      : a.retryAfterMs > b.retryAfterMs;
    if (better) pick = i;
  }
  const chosen = figures[pick];
  return {
    allowed,
    decidedBy,
    rule: chosen.check.rule,
    remaining: chosen.f.remaining,
    resetSeconds: toSeconds(chosen.f.nextTokenMs),
    retryAfterSeconds: allowed ? 0 : Math.max(1, toSeconds(chosen.f.retryAfterMs)),
    checks: perCheck,
  };
}

/** The rule with the lowest sustained rate (then the smallest burst): named when no store answered. */
export function strictestRule(checks: readonly LimitCheck[]): LimitRule {
  let rule = checks[0].rule;
  for (const check of checks.slice(1)) {
    const r = check.rule;
    if (
      r.requestsPerMinute < rule.requestsPerMinute ||
      (r.requestsPerMinute === rule.requestsPerMinute && r.burst < rule.burst)
    ) {
      rule = r;
    }
  }
  return rule;
}

/** The decision of a failure policy when the store did not answer: 'open' admits, 'closed' refuses
 * (the gateway answers 503 and suggests retrying after a second). */
export function policyResult(
  checks: readonly LimitCheck[],
  decidedBy: Extract<DecidedBy, 'open' | 'closed'>,
): LimitResult {
  const allowed = decidedBy === 'open';
  return {
    allowed,
    decidedBy,
    rule: strictestRule(checks),
    remaining: 0,
    resetSeconds: 0,
    retryAfterSeconds: allowed ? 0 : 1,
    checks: [],
  };
}

export function recordDecision(metrics: LimiterMetrics | undefined, result: LimitResult): void {
  metrics?.decisions?.inc({
    rule: result.rule.id,
    outcome: result.allowed ? 'allowed' : 'denied',
    decided_by: result.decidedBy,
  });
}
