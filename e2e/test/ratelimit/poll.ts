import { createRedisLimiter, type RateLimiter, type RedisLimiterOptions } from '@aegis/gateway';

/** Calls `probe` until `done` accepts its value or `timeoutMs` passes; returns the last value and
 * whether it was accepted (the caller asserts, so a failure shows what was seen last). */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<{ value: T; ok: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, ok: true };
    if (Date.now() >= deadline) return { value, ok: false };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A Redis limiter with its own connection, as one gateway replica has; ready before it is returned. */
export async function readyRedisLimiter(options: RedisLimiterOptions): Promise<RateLimiter> {
  const limiter = createRedisLimiter(options);
  const ready = await pollUntil(
    () => limiter.status(),
    (s) => s === 'ok',
    10_000,
  );
  if (!ready.ok) {
    await limiter.close();
    throw new Error(`the Redis limiter did not become ready (status ${ready.value})`);
  }
  return limiter;
}
