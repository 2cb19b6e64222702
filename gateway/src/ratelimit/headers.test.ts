import fc from 'fast-check';
import { createMemoryLimiter } from './memory';
import { policyItem, rateLimitedBody, rateLimitHeaders, sfString } from './headers';
import { policyResult } from './result';
import type { LimitCheck, LimitRule } from './types';

const T0 = 1_700_000_000_000;
const identity: LimitRule = { id: 'identity', requestsPerMinute: 100, burst: 10 };
const tenant: LimitRule = { id: 'tenant', requestsPerMinute: 6000, burst: 600 };
const checks: LimitCheck[] = [
  { tenantId: 'acme', rule: identity, identity: 'user:1' },
  { tenantId: 'acme', rule: tenant, identity: '*' },
];

describe('rateLimitHeaders', () => {
  it('lists every policy and each bucket state on an allowed request, without Retry-After', async () => {
    const limiter = createMemoryLimiter({ now: () => T0 });
    const headers = rateLimitHeaders(await limiter.consume(checks, 'Open'));
    expect(headers).toEqual({
      'RateLimit-Policy': '"identity";q=10;w=6, "tenant";q=600;w=6',
      RateLimit: '"identity";r=9;t=1, "tenant";r=599;t=1',
    });
  });

  it('adds Retry-After in whole seconds when denied', async () => {
    const limiter = createMemoryLimiter({ now: () => T0 });
    const slow: LimitRule = { id: 'route:agent-runs', requestsPerMinute: 20, burst: 1 };
    const check: LimitCheck[] = [{ tenantId: 'acme', rule: slow, identity: 'user:1' }];
    await limiter.consume(check, 'Open');
    const denied = await limiter.consume(check, 'Open');
    expect(rateLimitHeaders(denied)).toEqual({
      'RateLimit-Policy': '"route:agent-runs";q=1;w=3',
      RateLimit: '"route:agent-runs";r=0;t=3',
      'Retry-After': '3',
    });
  });

  it('omits RateLimit when no store answered and suggests a retry when closed', () => {
    expect(rateLimitHeaders(policyResult(checks, 'open'))).toEqual({
      'RateLimit-Policy': '"identity";q=10;w=6',
    });
    expect(rateLimitHeaders(policyResult(checks, 'closed'))).toEqual({
      'RateLimit-Policy': '"identity";q=10;w=6',
      'Retry-After': '1',
    });
  });

  it('never advertises more than the real rate and always a positive whole window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 10_000 }), (rpm, burst) => {
        const m = /^"x";q=(\d+);w=(\d+)$/.exec(policyItem({ id: 'x', requestsPerMinute: rpm, burst }));
        expect(m).not.toBeNull();
        const q = Number(m![1]);
        const w = Number(m![2]);
        expect(q).toBe(burst);
        expect(w).toBeGreaterThanOrEqual(1);
        expect(q * 60).toBeLessThanOrEqual(rpm * w); // q/w ≤ rpm/60
      }),
    );
  });
});

describe('sfString', () => {
  it('quotes and escapes so the value stays one structured-field string', () => {
    expect(sfString('route:a"b\\c')).toBe('"route:a\\"b\\\\c"');
    expect(sfString('é\n')).toBe('"??"');
  });
});

describe('rateLimitedBody', () => {
  it('states the limit that applied in the documented shape', async () => {
    const limiter = createMemoryLimiter({ now: () => T0 });
    const rule: LimitRule = { id: 'identity', requestsPerMinute: 100, burst: 1 };
    const check: LimitCheck[] = [{ tenantId: 'acme', rule, identity: 'ip:127.0.0.1' }];
    await limiter.consume(check, 'Open');
    const body = rateLimitedBody(await limiter.consume(check, 'Open'));
    expect(body.error).toBe('rate limit exceeded — 100 requests/minute');
    expect(body.code).toBe('rate_limited');
    expect(body.detail).toMatch(/retry in 1 s/);
  });
});
