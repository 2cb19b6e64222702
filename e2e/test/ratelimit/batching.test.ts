import fc from 'fast-check';
import Redis from 'ioredis';
import { describeWithRedis } from '@aegis/testing';
import {
  CONSUME_SCRIPT,
  ScriptCall,
  consumeAll,
  createMemoryLimiter,
  paramsFor,
  parseBatchReply,
  redisKey,
  type BucketParams,
  type BucketState,
  type LimitCheck,
  type LimitRule,
  type RateLimiter,
  type RedisLimiterOptions,
} from '@aegis/gateway';
import { pollUntil, readyRedisLimiter } from './poll';

describeWithRedis(
  'Redis rate limiter batching the requests of one round trip into one script call',
  (redis) => {
    let raw: Redis;
    const limiters: RateLimiter[] = [];

    async function limiter(
      options: Partial<RedisLimiterOptions> & { keyPrefix: string },
    ): Promise<RateLimiter> {
      // A generous timeout unless a test sets one: these tests are about what the store decides.
      const l = await readyRedisLimiter({ url: redis().url, timeoutMs: 5000, ...options });
      limiters.push(l);
      return l;
    }

    /** Script calls Redis has run so far (EVALSHA, and EVAL after a NOSCRIPT). */
    async function scriptCalls(): Promise<number> {
      const stats = await raw.info('commandstats');
      let calls = 0;
      for (const m of stats.matchAll(/^cmdstat_eval(?:sha)?:calls=(\d+)/gm)) calls += Number(m[1]);
      return calls;
    }

    const rule = (id: string, burst: number): LimitRule => ({ id, requestsPerMinute: 1, burst });
    const check = (r: LimitRule, identity = 'user:1'): LimitCheck => ({
      tenantId: 'acme',
      rule: r,
      identity,
    });

    beforeAll(() => {
      raw = new Redis(redis().url, { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      await Promise.all(limiters.map((l) => l.close()));
      raw?.disconnect();
    });

    it('decides the requests of one event-loop turn in one script call, in the order they were made', async () => {
      const l = await limiter({ keyPrefix: 'b1' });
      const r = rule('identity', 3);
      const before = await scriptCalls();
      // GIVEN eight requests for a bucket of three, all made before any answer can arrive
      const results = await Promise.all(Array.from({ length: 8 }, () => l.consume([check(r)], 'Closed')));
      // THEN one script call decided them, the first three in call order getting the tokens
      expect((await scriptCalls()) - before).toBe(1);
      expect(results.map((x) => [x.allowed, x.decidedBy, x.remaining])).toEqual([
        [true, 'store', 2],
        [true, 'store', 1],
        [true, 'store', 0],
        ...Array.from({ length: 5 }, () => [false, 'store', 0]),
      ]);
    });

    it('spends nothing for a refused request in the middle of a batch', async () => {
      const l = await limiter({ keyPrefix: 'b2' });
      const [a, empty, unused] = [rule('a', 2), rule('empty', 1), rule('unused', 5)];
      expect((await l.consume([check(empty)], 'Closed')).allowed).toBe(true); // now empty
      const before = await scriptCalls();
      // WHEN r2 (a, unused, empty) is refused for its empty bucket between r1 (a) and r3 (a)
      const [r1, r2, r3] = await Promise.all([
        l.consume([check(a)], 'Closed'),
        l.consume([check(a), check(unused), check(empty)], 'Closed'),
        l.consume([check(a)], 'Closed'),
      ]);
      expect((await scriptCalls()) - before).toBe(1);
      // THEN r2 took nothing from a (r3 still gets a's second token) and wrote nothing to unused
      expect([r1.allowed, r2.allowed, r3.allowed]).toEqual([true, false, true]);
      expect(r2).toMatchObject({ decidedBy: 'store', rule: empty });
      expect(r2.checks.map((c) => [c.rule.id, c.allowed, c.remaining])).toEqual([
        ['a', true, 1],
        ['unused', true, 5],
        ['empty', false, 0],
      ]);
      expect([r1.remaining, r3.remaining]).toEqual([1, 0]);
      expect(await raw.exists(redisKey('b2', check(unused)))).toBe(0);
    });

    it('keeps the shared quota exact across two replicas batching concurrently', async () => {
      const [x, y] = [await limiter({ keyPrefix: 'b4' }), await limiter({ keyPrefix: 'b4' })];
      const identity = rule('identity', 5);
      const tenant = rule('tenant', 12);
      const users = ['u1', 'u2', 'u3', 'u4'];
      const calls = Array.from({ length: 160 }, (_, i) => {
        const user = users[i % users.length];
        const checks = [check(identity, user), check(tenant, '*')];
        return (i % 3 === 0 ? x : y).consume(checks, 'Closed').then((result) => ({ user, result }));
      });
      const results = await Promise.all(calls);
      expect(results.filter((r) => r.result.decidedBy !== 'store')).toEqual([]);
      const admitted = results.filter((r) => r.result.allowed);
      expect(admitted).toHaveLength(12);
      for (const user of users) expect(admitted.filter((r) => r.user === user).length).toBeLessThanOrEqual(5);
    });

    it('decides a batch exactly as the same requests made one at a time (bucket math as the model)', async () => {
      const options = [
        [paramsFor(1, 1), paramsFor(100, 10), paramsFor(20, 5), paramsFor(6000, 600)],
        // the same buckets under a reloaded configuration: a request carries its own parameters
        [paramsFor(2, 3), paramsFor(50, 4), paramsFor(20, 5), paramsFor(600, 60)],
      ];
      const request = fc.record({
        buckets: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1 }),
        reloaded: fc.boolean(),
      });
      const batch = fc.record({
        requests: fc.array(request, { minLength: 1, maxLength: 12 }),
        wait: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 5000 }),
          fc.integer({ min: -3000, max: -1 }),
        ),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 10 }), async (batches) => {
          run += 1;
          const keys = [0, 1, 2, 3].map((i) => `model${run}:{acme}:r${i}:x`);
          const model: Array<BucketState | undefined> = [undefined, undefined, undefined, undefined];
          let now = 1_700_000_000_000;
          for (const b of batches) {
            now += b.wait;
            const call = new ScriptCall(now);
            const params: BucketParams[][] = b.requests.map((r) =>
              r.buckets.map((i) => options[r.reloaded ? 1 : 0][i]),
            );
            b.requests.forEach((r, j) =>
              call.add({
                ids: r.buckets.map(String),
                params: params[j],
                redisKey: (i) => keys[r.buckets[i]],
              }),
            );
            const replies = parseBatchReply(
              await raw.eval(CONSUME_SCRIPT, call.keys.length, ...call.keys, ...call.argv()),
              b.requests.map((r) => r.buckets.length),
            );
            b.requests.forEach((r, j) => {
              const expected = consumeAll(
                r.buckets.map((i) => model[i]),
                params[j],
                now,
              );
              if (expected.allowed) r.buckets.forEach((i, k) => (model[i] = expected.states[k]));
              expect(replies[j].allowed).toBe(expected.allowed);
              expect(replies[j].units).toEqual(expected.states.map((s) => s.units));
            });
            // what Redis holds afterwards is what the last single call would have left
            for (const [i, key] of keys.entries()) {
              const [u, ts] = await raw.hmget(key, 'u', 'ts');
              expect(u === null ? undefined : { units: Number(u), updatedAt: Number(ts) }).toEqual(model[i]);
            }
          }
        }),
        { numRuns: 25 },
      );
    });

    it('hands every request of a batch that misses its deadline to the failure policy', async () => {
      const errors: string[] = [];
      const l = await limiter({
        keyPrefix: 'b3',
        timeoutMs: 100,
        fallback: createMemoryLimiter(),
        metrics: { storeErrors: { inc: ({ reason }) => errors.push(reason) } },
      });
      const r = rule('identity', 2);
      redis().pause(); // the connection stays open; nothing is answered
      try {
        const before = Date.now();
        const results = await Promise.all([
          l.consume([check(r, 'closed')], 'Closed'),
          l.consume([check(r, 'open')], 'Open'),
          ...Array.from({ length: 3 }, () => l.consume([check(r, 'local')], 'LocalFallback')),
        ]);
        console.info(`batch decided by its policies after ${Date.now() - before} ms (deadline 100 ms)`);
        expect(results.map((x) => [x.allowed, x.decidedBy])).toEqual([
          [false, 'closed'],
          [true, 'open'],
          [true, 'fallback'],
          [true, 'fallback'],
          [false, 'fallback'],
        ]);
        expect(errors).toEqual(['timeout', 'timeout', 'timeout', 'timeout', 'timeout']);
        expect(l.status()).toBe('degraded');
      } finally {
        redis().resume();
      }
      const back = await pollUntil(
        () => l.consume([check(r, 'after')], 'Closed'),
        (x) => x.decidedBy === 'store',
        20_000,
        200,
      );
      expect(back.value).toMatchObject({ allowed: true, decidedBy: 'store' });
    });
  },
);
