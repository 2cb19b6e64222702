import { latencySummary, percentile } from './stats';

describe('benchmark statistics', () => {
  it('takes the nearest-rank percentile', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 99)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('summarises unsorted samples, rounded', () => {
    expect(latencySummary([3.14159, 1.00001, 2.5], 2)).toEqual({
      n: 3,
      p50_ms: 2.5,
      p95_ms: 3.14,
      p99_ms: 3.14,
      max_ms: 3.14,
    });
  });
});
