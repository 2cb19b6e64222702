import type { CheckFigures, LimitResult, LimitRule } from './types';

/** An RFC 8941 sf-string: quoted, with `\` and `"` escaped; other characters outside printable ASCII
 * (which sf-strings cannot carry) are replaced by '?'. */
export function sfString(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The quota policy of a token bucket in the terms of draft-ietf-httpapi-ratelimit-headers
 * (see docs/adr/0004-rate-limiting.md): q = burst, the most a client can send at once, and
 * w = the seconds the bucket takes to refill q tokens, burst × 60 / rpm, rounded up to a whole
 * second (w must be a positive integer). q/w is then never more than the real rate, so a client that
 * paces itself by the policy is never throttled.
 */
export function policyItem(rule: LimitRule): string {
  let item = policyItems.get(rule);
  if (item === undefined) {
    const window = Math.max(1, Math.ceil((rule.burst * 60) / rule.requestsPerMinute));
    item = `${ruleName(rule)};q=${rule.burst};w=${window}`;
    policyItems.set(rule, item);
  }
  return item;
}

/** Per rule object, its quoted name and policy item: the configuration's rules are built once per
 * load and never changed (a reload builds new ones), so each is written once, not per request. */
const ruleNames = new WeakMap<LimitRule, string>();
const policyItems = new WeakMap<LimitRule, string>();

function ruleName(rule: LimitRule): string {
  let name = ruleNames.get(rule);
  if (name === undefined) {
    name = sfString(rule.id);
    ruleNames.set(rule, name);
  }
  return name;
}

/** The service limit of one bucket: r = whole tokens left, t = seconds until another token arrives
 * (omitted when the bucket is full, since no more quota is coming). */
export function limitItem(figures: CheckFigures): string {
  const reset = figures.resetSeconds > 0 ? `;t=${figures.resetSeconds}` : '';
  return `${ruleName(figures.rule)};r=${figures.remaining}${reset}`;
}

/**
 * The headers for a decision: `RateLimit-Policy` lists every rule the request was checked against,
 * `RateLimit` the state of each bucket (absent when no store answered, because nothing is known),
 * and `Retry-After` (whole seconds, at least 1) when the request is not allowed.
 */
export function rateLimitHeaders(result: LimitResult): Record<string, string> {
  const rules = result.checks.length > 0 ? result.checks.map((c) => c.rule) : [result.rule];
  const headers: Record<string, string> = {
    'RateLimit-Policy': rules.map(policyItem).join(', '),
  };
  if (result.checks.length > 0) headers.RateLimit = result.checks.map(limitItem).join(', ');
  if (!result.allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil(result.retryAfterSeconds)));
  return headers;
}

export interface RateLimitedBody {
  error: string;
  detail: string;
  code: 'rate_limited';
}

/** The 429 body of spec §4; the number is the limit that applied. */
export function rateLimitedBody(result: LimitResult): RateLimitedBody {
  const { rule } = result;
  const error = `rate limit exceeded — ${rule.requestsPerMinute} requests/minute`;
  const scope =
    rule.id === 'tenant' ? 'this tenant' : rule.id.startsWith('route:') ? 'this route' : 'this client';
  const wait = Math.max(1, result.retryAfterSeconds);
  return {
    error,
    detail: `The ${rule.id} quota of ${rule.requestsPerMinute} requests per minute (bursts of up to ${rule.burst}) for ${scope} is used up; retry in ${wait} s.`,
    code: 'rate_limited',
  };
}
