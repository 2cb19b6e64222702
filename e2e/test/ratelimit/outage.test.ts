import { describeWithRedis, startRedis } from '@aegis/testing';
import {
  createRedisLimiter,
  type FailurePolicy,
  type LimitCheck,
  type LimitResult,
  type RateLimiter,
} from '@aegis/gateway';
import { pollUntil } from './poll';

const TIMEOUT_MS = 100;

/** One identity per call so earlier requests never exhaust a bucket; burst 2 so the fallback can deny. */
let seq = 0;
const fresh = (): LimitCheck[] => [
  {
    tenantId: 'acme',
    rule: { id: 'identity', requestsPerMinute: 1, burst: 2 },
    identity: `user:${(seq += 1)}`,
  },
];

/** consume() with its wall time, reported (never asserted: the machine is shared). */
async function timed(
  limiter: RateLimiter,
  checks: LimitCheck[],
  policy: FailurePolicy,
): Promise<LimitResult> {
  const started = process.hrtime.bigint();
  const result = await limiter.consume(checks, policy);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (ms > TIMEOUT_MS) console.info(`consume(${policy}) took ${ms.toFixed(1)} ms (timeout ${TIMEOUT_MS} ms)`);
  return result;
}

async function expectPolicies(limiter: RateLimiter): Promise<void> {
  expect(await timed(limiter, fresh(), 'Open')).toMatchObject({ allowed: true, decidedBy: 'open' });
  expect(await timed(limiter, fresh(), 'Closed')).toMatchObject({ allowed: false, decidedBy: 'closed' });
  const local = fresh();
  const fallback = [];
  for (let i = 0; i < 3; i += 1) fallback.push(await timed(limiter, local, 'LocalFallback'));
  expect(fallback.map((r) => [r.allowed, r.decidedBy])).toEqual([
    [true, 'fallback'],
    [true, 'fallback'],
    [false, 'fallback'],
  ]);
  expect(fallback[2].retryAfterSeconds).toBeGreaterThanOrEqual(1);
}

async function expectSharedAgain(limiter: RateLimiter): Promise<void> {
  const back = await pollUntil(
    () => limiter.consume(fresh(), 'Closed'),
    (r) => r.decidedBy === 'store',
    20_000,
    200,
  );
  expect(back.value).toMatchObject({ allowed: true, decidedBy: 'store' });
  const status = await pollUntil(
    () => limiter.status(),
    (s) => s === 'ok',
    10_000,
  );
  expect(status.value).toBe('ok');
}

describeWithRedis('Redis rate limiter when Redis fails', (redis) => {
  let limiter: RateLimiter;

  beforeAll(async () => {
    limiter = createRedisLimiter({
      url: redis().url,
      timeoutMs: TIMEOUT_MS,
      maxReconnectDelayMs: 500,
      probeIntervalMs: 200,
    });
    const ready = await pollUntil(
      () => limiter.status(),
      (s) => s === 'ok',
      10_000,
    );
    expect(ready.value).toBe('ok');
  });
  afterAll(async () => {
    await limiter?.close();
  });

  it('decides by the store while Redis answers', async () => {
    expect(await limiter.consume(fresh(), 'Closed')).toMatchObject({ allowed: true, decidedBy: 'store' });
  });

  it('applies each failure policy while Redis is down, then resumes shared limiting when it returns', async () => {
    await redis().kill();
    await expectPolicies(limiter);
    const degraded = await pollUntil(
      () => limiter.status(),
      (s) => s === 'degraded',
      5000,
    );
    expect(degraded.value).toBe('degraded');

    await redis().restart(); // same port, empty data set
    await expectSharedAgain(limiter);
  });

  it('applies each failure policy while Redis hangs, then resumes when it answers again', async () => {
    await expectSharedAgain(limiter);
    redis().pause(); // the connection stays open; nothing is answered
    try {
      await expectPolicies(limiter);
      expect(limiter.status()).toBe('degraded');
    } finally {
      redis().resume();
    }
    await expectSharedAgain(limiter);
  });

  it('starts degraded when Redis is not running yet and switches to shared limiting once it is', async () => {
    const late = await startRedis();
    await late.kill();
    const early = createRedisLimiter({ url: late.url, timeoutMs: TIMEOUT_MS, maxReconnectDelayMs: 500 });
    try {
      expect(early.status()).toBe('degraded');
      expect(await early.consume(fresh(), 'LocalFallback')).toMatchObject({
        allowed: true,
        decidedBy: 'fallback',
      });
      await late.restart();
      await expectSharedAgain(early);
    } finally {
      await early.close();
      await late.stop();
    }
  });
});
