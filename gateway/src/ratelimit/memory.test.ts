import fc from 'fast-check';
import { type BucketState, consumeAll, paramsFor } from './bucket';
import { createMemoryLimiter } from './memory';
import type { DecidedBy, LimitCheck, LimitRule } from './types';

const T0 = 1_700_000_000_000;
const identityRule: LimitRule = { id: 'identity', requestsPerMinute: 100, burst: 10 };
const tenantRule: LimitRule = { id: 'tenant', requestsPerMinute: 60, burst: 3 };

function clock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const check = (identity: string, rule: LimitRule = identityRule, tenantId = 'acme'): LimitCheck => ({
  tenantId,
  rule,
  identity,
});

describe('createMemoryLimiter', () => {
  it('admits a burst, then denies with the wait for the next token', async () => {
    const c = clock();
    const limiter = createMemoryLimiter({ now: c.now });
    const results = [];
    for (let i = 0; i < 11; i += 1) results.push(await limiter.consume([check('user:1')], 'Closed'));
    expect(results.map((r) => r.allowed)).toEqual([...Array(10).fill(true), false]);
    expect(results.map((r) => r.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]);
    const denied = results[10];
    expect(denied).toMatchObject({
      decidedBy: 'store',
      rule: identityRule,
      retryAfterSeconds: 1,
      resetSeconds: 1,
    });
    expect(results[0].retryAfterSeconds).toBe(0);
    c.advance(600);
    expect((await limiter.consume([check('user:1')], 'Closed')).allowed).toBe(true);
    expect((await limiter.consume([check('user:1')], 'Closed')).allowed).toBe(false);
  });

  it('consumes all checks or none: a tenant-wide denial leaves the identity bucket untouched', async () => {
    const c = clock();
    const limiter = createMemoryLimiter({ now: c.now });
    const both = (id: string): LimitCheck[] => [check(id), check('*', tenantRule)];
    for (const id of ['user:1', 'user:2', 'user:3'])
      expect((await limiter.consume(both(id), 'Open')).allowed).toBe(true);
    const denied = await limiter.consume(both('user:4'), 'Open');
    expect(denied).toMatchObject({ allowed: false, rule: tenantRule, remaining: 0 });
    expect(denied.checks.map((x) => [x.rule.id, x.allowed, x.remaining])).toEqual([
      ['identity', true, 10],
      ['tenant', false, 0],
    ]);
    // user:4 still has all 10 identity tokens
    const alone = await limiter.consume([check('user:4')], 'Open');
    expect(alone.remaining).toBe(9);
  });

  it('names the bucket with the fewest tokens left when allowed', async () => {
    const limiter = createMemoryLimiter({ now: clock().now });
    const r = await limiter.consume([check('user:1'), check('*', tenantRule)], 'Open');
    expect(r).toMatchObject({ allowed: true, rule: tenantRule, remaining: 2 });
    expect(r.checks.map((x) => x.remaining)).toEqual([9, 2]);
  });

  it('keeps separate buckets per tenant, rule and identity, even when names contain separators', async () => {
    const limiter = createMemoryLimiter({ now: clock().now });
    const one: LimitRule = { id: 'b|c', requestsPerMinute: 1, burst: 1 };
    const two: LimitRule = { id: 'c', requestsPerMinute: 1, burst: 1 };
    expect((await limiter.consume([{ tenantId: 'a', rule: one, identity: 'x' }], 'Closed')).allowed).toBe(
      true,
    );
    expect((await limiter.consume([{ tenantId: 'a|b', rule: two, identity: 'x' }], 'Closed')).allowed).toBe(
      true,
    );
    expect((await limiter.consume([{ tenantId: 'other', rule: one, identity: 'x' }], 'Closed')).allowed).toBe(
      true,
    );
    expect((await limiter.consume([{ tenantId: 'a', rule: one, identity: 'x' }], 'Closed')).allowed).toBe(
      false,
    );
  });

  it('refuses a call without checks or naming one bucket twice', async () => {
    const limiter = createMemoryLimiter();
    await expect(limiter.consume([], 'Open')).rejects.toThrow(RangeError);
    await expect(limiter.consume([check('u'), check('u')], 'Open')).rejects.toThrow(/twice/);
    await expect(
      limiter.consume([check('u', { id: 'x', requestsPerMinute: 0, burst: 1 })], 'Open'),
    ).rejects.toThrow(RangeError);
  });

  it('decides at once (consumeNow) on the same buckets as consume()', async () => {
    const c = clock();
    const limiter = createMemoryLimiter({ now: c.now });
    const rule: LimitRule = { id: 'identity', requestsPerMinute: 60, burst: 2 };
    expect(limiter.consumeNow([check('user:1', rule)], 'Closed')).toMatchObject({
      allowed: true,
      remaining: 1,
    });
    expect(await limiter.consume([check('user:1', rule)], 'Closed')).toMatchObject({
      allowed: true,
      remaining: 0,
    });
    expect(limiter.consumeNow([check('user:1', rule)], 'Closed')).toMatchObject({
      allowed: false,
      remaining: 0,
    });
  });

  it('reports each decision to the metrics counter', async () => {
    const seen: Array<{ rule: string; outcome: string; decided_by: DecidedBy }> = [];
    const limiter = createMemoryLimiter({
      now: clock().now,
      metrics: { decisions: { inc: (l) => seen.push(l) } },
    });
    const rule: LimitRule = { id: 'route:agent-runs', requestsPerMinute: 20, burst: 1 };
    await limiter.consume([check('u', rule)], 'Open');
    await limiter.consume([check('u', rule)], 'Open');
    expect(seen).toEqual([
      { rule: 'route:agent-runs', outcome: 'allowed', decided_by: 'store' },
      { rule: 'route:agent-runs', outcome: 'denied', decided_by: 'store' },
    ]);
  });

  it('drops buckets that have refilled before ones still in use when it is full', async () => {
    const c = clock();
    const limiter = createMemoryLimiter({ now: c.now, maxKeys: 2 });
    await limiter.consume([check('old')], 'Open'); // full again after 600 ms
    c.advance(10_000);
    await limiter.consume([check('busy')], 'Open');
    await limiter.consume([check('busy')], 'Open');
    await limiter.consume([check('new')], 'Open');
    expect(limiter.size()).toBe(2);
    expect((await limiter.consume([check('busy')], 'Open')).remaining).toBe(7);
  });

  it('never holds more than maxKeys buckets and agrees with the bucket math while nothing is evicted', async () => {
    const step = fc.record({
      who: fc.integer({ min: 0, max: 30 }),
      wait: fc.integer({ min: 0, max: 2000 }),
      tenantWide: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(step, { maxLength: 120 }),
        async (maxKeys, steps) => {
          const c = clock();
          const bounded = createMemoryLimiter({ now: c.now, maxKeys });
          const exact = createMemoryLimiter({ now: c.now });
          const model = new Map<string, BucketState>();
          const pI = paramsFor(identityRule.requestsPerMinute, identityRule.burst);
          const pT = paramsFor(tenantRule.requestsPerMinute, tenantRule.burst);
          for (const s of steps) {
            c.advance(s.wait);
            const checks = s.tenantWide ? [check(`u${s.who}`), check('*', tenantRule)] : [check(`u${s.who}`)];
            const r = await bounded.consume(checks, 'Open');
            expect(bounded.size()).toBeLessThanOrEqual(maxKeys);
            expect(r.retryAfterSeconds > 0).toBe(!r.allowed);
            const e = await exact.consume(checks, 'Open');
            const keys = s.tenantWide ? [`u${s.who}`, '*'] : [`u${s.who}`];
            const d = consumeAll(
              keys.map((k) => model.get(k)),
              s.tenantWide ? [pI, pT] : [pI],
              c.now(),
            );
            if (d.allowed) keys.forEach((k, i) => model.set(k, d.states[i]));
            expect(e.allowed).toBe(d.allowed);
            // eviction may only ever make the bounded limiter more lenient, never stricter
            if (!r.allowed) expect(e.allowed).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
