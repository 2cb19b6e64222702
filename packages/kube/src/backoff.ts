/** Capped exponential backoff with jitter: base, 2·base, 4·base, ... up to max, each scaled by a
 * random factor in [1 - jitter, 1]. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1; default 0.2. */
  jitter?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const { baseMs, maxMs, jitter = 0.2, random = Math.random } = options;
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.max(0, Math.round(exp * (1 - jitter * random())));
}

export class Backoff {
  private attempt = 0;
  constructor(private readonly options: BackoffOptions) {}
  next(): number {
    return backoffDelay(this.attempt++, this.options);
  }
  reset(): void {
    this.attempt = 0;
  }
  get attempts(): number {
    return this.attempt;
  }
}

/** A sleep that a signal cuts short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
