import fc from 'fast-check';
import { Backoff, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the base and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100_000 }),
        // What Math.random can return: [0, 1), never NaN.
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, base, max, rnd) => {
          const d = backoffDelay(n, { baseMs: base, maxMs: max, random: () => rnd });
          expect(d).toBeLessThanOrEqual(Math.max(max, 0));
          expect(d).toBeGreaterThanOrEqual(Math.floor(Math.min(max, base * 2 ** n) * 0.8) - 1);
        },
      ),
    );
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, { baseMs: 100, maxMs: 1000, jitter: 0 }))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });
  it('restarts from the base after reset', () => {
    const b = new Backoff({ baseMs: 10, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next()]).toEqual([10, 20, 40]);
    b.reset();
    expect(b.next()).toBe(10);
  });
});
