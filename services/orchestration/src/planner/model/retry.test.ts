import { MAX_RETRY_DELAY_MS, retryAfterMs, retryDelayMs } from './retry';

describe('retryDelayMs', () => {
  it('doubles from the base with jitter in the upper half of the step, capped', () => {
    expect([0, 1, 2].map((a) => retryDelayMs(a, 100, undefined, () => 0))).toEqual([50, 100, 200]);
    expect([0, 1, 2].map((a) => retryDelayMs(a, 100, undefined, () => 1))).toEqual([100, 200, 400]);
    expect(retryDelayMs(30, 1000, undefined, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('takes the Retry-After a server sent, capped', () => {
    expect(retryDelayMs(3, 100, 1500)).toBe(1500);
    expect(retryDelayMs(0, 100, 3_600_000)).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, 10_000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});
