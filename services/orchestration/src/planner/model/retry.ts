/** The longest wait between two attempts: a run is waited on by a user. A server whose Retry-After asks
 * for more is treated as failing for now (the client goes on to the fallback model). */
export const MAX_RETRY_DELAY_MS = 30_000;

/**
 * The wait before retry `attempt` (0 for the first retry): the server's Retry-After when it sent one,
 * else exponential backoff from `baseMs` (doubling per retry) with "equal jitter" (a random point in
 * the upper half of the step), so clients that failed together do not retry together. Both capped at
 * {@link MAX_RETRY_DELAY_MS}.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_DELAY_MS);
  const step = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * The wait a 429 / 503 answer asks for, in ms: `retry-after-ms` (OpenAI's), else `Retry-After` as
 * delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A sleep that ends early (without error) when the signal aborts; the caller checks the signal. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    if (signal?.aborted) finish();
    else signal?.addEventListener('abort', finish, { once: true });
  });
}
