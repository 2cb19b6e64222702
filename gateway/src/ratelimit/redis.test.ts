import net from 'node:net';
import { createMemoryLimiter } from './memory';
import { createRedisLimiter } from './redis';
import type { LimitCheck, RateLimiter } from './types';

/** A loopback port nobody listens on (the kernel's pick, released at once). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

const checks: LimitCheck[] = [
  { tenantId: 'acme', rule: { id: 'identity', requestsPerMinute: 1, burst: 2 }, identity: 'user:1' },
];

describe('createRedisLimiter with an unreachable store', () => {
  let limiter: RateLimiter;
  const decisions: string[] = [];

  beforeAll(async () => {
    limiter = createRedisLimiter({
      url: `redis://127.0.0.1:${await closedPort()}`,
      timeoutMs: 50,
      fallback: createMemoryLimiter(),
      metrics: { decisions: { inc: (l) => decisions.push(`${l.decided_by}:${l.outcome}`) } },
    });
  });
  afterAll(() => limiter.close());

  it('reports itself degraded', () => {
    expect(limiter.status()).toBe('degraded');
  });

  it('admits under Open, refuses under Closed and asks the local limiter under LocalFallback', async () => {
    expect(await limiter.consume(checks, 'Open')).toMatchObject({
      allowed: true,
      decidedBy: 'open',
      checks: [],
    });
    expect(await limiter.consume(checks, 'Closed')).toMatchObject({
      allowed: false,
      decidedBy: 'closed',
      retryAfterSeconds: 1,
    });
    const local = [];
    for (let i = 0; i < 3; i += 1) local.push(await limiter.consume(checks, 'LocalFallback'));
    expect(local.map((r) => [r.allowed, r.decidedBy])).toEqual([
      [true, 'fallback'],
      [true, 'fallback'],
      [false, 'fallback'],
    ]);
    expect(decisions).toEqual([
      'open:allowed',
      'closed:denied',
      'fallback:allowed',
      'fallback:allowed',
      'fallback:denied',
    ]);
  });

  it('decides at once while it skips the store (consumeNow), as consume() would', () => {
    const other: LimitCheck[] = [{ ...checks[0], identity: 'user:now' }];
    expect(limiter.consumeNow?.(other, 'Open')).toMatchObject({ allowed: true, decidedBy: 'open' });
    expect(limiter.consumeNow?.(other, 'Closed')).toMatchObject({ allowed: false, decidedBy: 'closed' });
    const local = [0, 1, 2].map(() => limiter.consumeNow?.(other, 'LocalFallback'));
    expect(local.map((r) => [r?.allowed, r?.decidedBy])).toEqual([
      [true, 'fallback'],
      [true, 'fallback'],
      [false, 'fallback'],
    ]);
    expect(decisions.slice(-5)).toEqual([
      'open:allowed',
      'closed:denied',
      'fallback:allowed',
      'fallback:allowed',
      'fallback:denied',
    ]);
  });

  it('still rejects invalid checks instead of applying the policy', async () => {
    await expect(limiter.consume([], 'Open')).rejects.toThrow(RangeError);
  });
});

describe('createRedisLimiter options', () => {
  it('refuses a non-positive timeout', () => {
    expect(() => createRedisLimiter({ url: 'redis://127.0.0.1:1', timeoutMs: 0 })).toThrow(RangeError);
  });
});
