import fc from 'fast-check';
import Redis from 'ioredis';
import { describeWithRedis } from '@aegis/testing';
import {
  CONSUME_SCRIPT,
  UNITS_PER_TOKEN,
  consumeAll,
  paramsFor,
  parseReply,
  redisKey,
  scriptArgs,
  type BucketState,
  type LimitCheck,
  type LimitRule,
  type RateLimiter,
} from '@aegis/gateway';
import { readyRedisLimiter } from './poll';

describeWithRedis('Redis rate limiter shared by two gateway replicas', (redis) => {
  let raw: Redis;
  const limiters: RateLimiter[] = [];

  /** A limiter with its own connection, as one gateway replica has; ready before it is returned. */
  async function replica(keyPrefix: string): Promise<RateLimiter> {
    // A generous timeout: this suite is about shared counting, not about the failure policies.
    const limiter = await readyRedisLimiter({ url: redis().url, timeoutMs: 5000, keyPrefix });
    limiters.push(limiter);
    return limiter;
  }

  beforeAll(async () => {
    raw = new Redis(redis().url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    raw?.disconnect();
  });

  it('admits exactly the burst of 200 concurrent requests from one identity across both replicas', async () => {
    const [a, b] = [await replica('t1'), await replica('t1')];
    const rule: LimitRule = { id: 'identity', requestsPerMinute: 1, burst: 10 };
    const check: LimitCheck[] = [{ tenantId: 'acme', rule, identity: 'user:1' }];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).consume(check, 'Closed')),
    );
    expect(results.filter((r) => r.decidedBy !== 'store')).toEqual([]);
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const denied = results.filter((r) => !r.allowed);
    expect(denied).toHaveLength(190);
    expect(denied.every((r) => r.retryAfterSeconds >= 1 && r.remaining === 0)).toBe(true);
  });

  it('consumes the tenant-wide and identity buckets atomically: a denial takes nothing', async () => {
    const limiter = await replica('t2');
    const identity: LimitRule = { id: 'identity', requestsPerMinute: 1, burst: 10 };
    const tenant: LimitRule = { id: 'tenant', requestsPerMinute: 1, burst: 3 };
    const checksFor = (user: string): LimitCheck[] => [
      { tenantId: 'acme', rule: identity, identity: user },
      { tenantId: 'acme', rule: tenant, identity: '*' },
    ];
    for (const user of ['user:1', 'user:2', 'user:3']) {
      expect(await limiter.consume(checksFor(user), 'Closed')).toMatchObject({
        allowed: true,
        decidedBy: 'store',
      });
    }
    const denied = await limiter.consume(checksFor('user:4'), 'Closed');
    expect(denied).toMatchObject({ allowed: false, decidedBy: 'store', rule: tenant });
    // the denial did not touch user:4's identity bucket: it was never written, and all ten tokens are there
    expect(await raw.exists(redisKey('t2', checksFor('user:4')[0]))).toBe(0);
    const alone = await limiter.consume([checksFor('user:4')[0]], 'Closed');
    expect(alone).toMatchObject({ allowed: true, decidedBy: 'store', remaining: 9 });
  });

  it('keeps one bucket per tenant for the same identity, under the tenant hash tag, with an expiry', async () => {
    const limiter = await replica('t3');
    const rule: LimitRule = { id: 'identity', requestsPerMinute: 1, burst: 1 };
    const inTenant = (tenantId: string): LimitCheck[] => [{ tenantId, rule, identity: 'user:1' }];
    expect((await limiter.consume(inTenant('acme'), 'Closed')).allowed).toBe(true);
    expect((await limiter.consume(inTenant('globex'), 'Closed')).allowed).toBe(true);
    expect((await limiter.consume(inTenant('acme'), 'Closed')).allowed).toBe(false);
    expect((await limiter.consume(inTenant('globex'), 'Closed')).allowed).toBe(false);
    const keys = (await raw.keys('t3:*')).sort();
    expect(keys).toEqual(['t3:{acme}:identity:user%3A1', 't3:{globex}:identity:user%3A1']);
    for (const key of keys) {
      const ttl = await raw.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000 + 1000); // full again after one token at 1/min, plus a second
    }
  });

  it('runs the same arithmetic in Lua as the bucket math', async () => {
    const rules = [paramsFor(1, 1), paramsFor(100, 10), paramsFor(20, 5), paramsFor(6000, 600)];
    const step = fc.record({
      buckets: fc.subarray([0, 1, 2, 3], { minLength: 1 }),
      wait: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 2000, max: 200_000 }),
        fc.integer({ min: -3000, max: -1 }),
      ),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        run += 1;
        const checks = rules.map((_, i): LimitCheck => ({
          tenantId: `lua${run}`,
          rule: { id: `r${i}`, requestsPerMinute: 1, burst: 1 },
          identity: 'x',
        }));
        const model: Array<BucketState | undefined> = rules.map(() => undefined);
        let now = 1_700_000_000_000;
        for (const s of steps) {
          now += s.wait;
          const params = s.buckets.map((i) => rules[i]);
          const keys = s.buckets.map((i) => redisKey('lua', checks[i]));
          const reply = parseReply(
            await raw.eval(CONSUME_SCRIPT, keys.length, ...keys, ...scriptArgs(params, now)),
            keys.length,
          );
          const expected = consumeAll(
            s.buckets.map((i) => model[i]),
            params,
            now,
          );
          if (expected.allowed) s.buckets.forEach((i, j) => (model[i] = expected.states[j]));
          expect(reply.allowed).toBe(expected.allowed);
          expect(reply.units).toEqual(expected.states.map((st) => st.units));
          expect(reply.units.every((u) => u % 1 === 0 && u >= 0)).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
    expect(UNITS_PER_TOKEN).toBe(60_000);
  });
});
