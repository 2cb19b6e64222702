import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Checked each round; a string return aborts the wait with that message (e.g. a process died). */
  abort?: () => string | undefined;
}

/**
 * Calls `probe` until it returns a value other than undefined, or throws after the timeout with the
 * last probe error. Errors thrown by the probe count as "not yet".
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const { what, timeoutMs, intervalMs = 200, abort } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    const aborted = abort?.();
    if (aborted) throw new Error(`gave up waiting for ${what}: ${aborted}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}
