import fc from 'fast-check';
import {
  type BucketParams,
  type BucketState,
  consumeAll,
  figuresOf,
  paramsFor,
  refill,
  UNITS_PER_TOKEN,
} from './bucket';

const T0 = 1_700_000_000_000;
const rules = fc.record({ rpm: fc.integer({ min: 1, max: 6000 }), burst: fc.integer({ min: 1, max: 20 }) });
/** Request spacing: bursts at one instant, short gaps, and idle periods long enough to refill. */
const gap = fc.oneof(
  { arbitrary: fc.constant(0), weight: 4 },
  { arbitrary: fc.integer({ min: 1, max: 3000 }), weight: 3 },
  { arbitrary: fc.integer({ min: 3000, max: 1_200_000 }), weight: 1 },
);
const gaps = fc.array(gap, { minLength: 1, maxLength: 150 });

/** Sends one request at each time to a single bucket; returns whether each was admitted and every state. */
function run(params: BucketParams, times: number[]): { admitted: boolean[]; states: BucketState[] } {
  let state: BucketState | undefined;
  const admitted: boolean[] = [];
  const states: BucketState[] = [];
  for (const t of times) {
    const d = consumeAll([state], [params], t);
    if (d.allowed) state = d.states[0]!; // stores persist allowed decisions only
    admitted.push(d.allowed);
    states.push(d.states[0]);
  }
  return { admitted, states };
}

function cumulative(start: number, deltas: number[]): number[] {
  let t = start;
  return deltas.map((d) => (t += d));
}

describe('token bucket math', () => {
  it('lets a fresh identity send burst at once, then one more per 60/rpm seconds', () => {
    const p = paramsFor(100, 10);
    const { admitted } = run(
      p,
      Array.from({ length: 11 }, () => T0),
    );
    expect(admitted.filter(Boolean)).toHaveLength(10);
    expect(admitted[10]).toBe(false);
    // 100/min = one token per 600 ms
    const after = run(p, [...Array.from({ length: 10 }, () => T0), T0 + 599, T0 + 600]).admitted;
    expect(after.slice(10)).toEqual([false, true]);
  });

  it('never admits more than burst + rate × elapsed in any window', () => {
    fc.assert(
      fc.property(rules, gaps, ({ rpm, burst }, deltas) => {
        const p = paramsFor(rpm, burst);
        const times = cumulative(T0, deltas);
        const { admitted } = run(p, times);
        for (let i = 0; i < times.length; i += 1) {
          let count = 0;
          for (let j = i; j < times.length; j += 1) {
            if (admitted[j]) count += 1;
            expect(count * UNITS_PER_TOKEN).toBeLessThanOrEqual(p.capacity + (times[j] - times[i]) * p.rate);
          }
        }
      }),
    );
  });

  it('keeps tokens between zero and capacity', () => {
    fc.assert(
      fc.property(rules, gaps, ({ rpm, burst }, deltas) => {
        const p = paramsFor(rpm, burst);
        let state: BucketState | undefined;
        for (const t of cumulative(T0, deltas)) {
          const refilled = refill(state, p, t);
          const d = consumeAll([state], [p], t);
          if (d.allowed) state = d.states[0]!;
          for (const s of [refilled, d.states[0]]) {
            expect(s.units).toBeGreaterThanOrEqual(0);
            expect(s.units).toBeLessThanOrEqual(p.capacity);
            expect(Number.isSafeInteger(s.units)).toBe(true);
          }
        }
      }),
    );
  });

  it('names a retry-after exactly when a request is denied, and it is exact', () => {
    fc.assert(
      fc.property(rules, gaps, ({ rpm, burst }, deltas) => {
        const p = paramsFor(rpm, burst);
        let state: BucketState | undefined;
        for (const t of cumulative(T0, deltas)) {
          const before = refill(state, p, t);
          const d = consumeAll([state], [p], t);
          const wait = figuresOf(before.units, p).retryAfterMs;
          expect(wait > 0).toBe(!d.allowed);
          if (!d.allowed) {
            expect(consumeAll([state], [p], t + wait).allowed).toBe(true);
            if (wait > 1) expect(consumeAll([state], [p], t + wait - 1).allowed).toBe(false);
          } else {
            state = d.states[0];
          }
        }
      }),
    );
  });

  it('mints no tokens when the clock goes backwards', () => {
    fc.assert(
      fc.property(
        rules,
        fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: 1, maxLength: 150 }),
        ({ rpm, burst }, jumps) => {
          const p = paramsFor(rpm, burst);
          const times = jumps.map((j) => T0 + j); // arbitrary order
          const { admitted } = run(p, times);
          // the bound holds on the effective (never decreasing) clock
          const effective = times.map((_, i) => Math.max(...times.slice(0, i + 1)));
          for (let i = 0; i < times.length; i += 1) {
            let count = 0;
            for (let j = i; j < times.length; j += 1) {
              if (admitted[j]) count += 1;
              expect(count * UNITS_PER_TOKEN).toBeLessThanOrEqual(
                p.capacity + (effective[j] - effective[i]) * p.rate,
              );
            }
          }
        },
      ),
    );
  });

  it('refills nothing for a timestamp before the last update', () => {
    fc.assert(
      fc.property(rules, fc.nat(), fc.integer({ min: 1, max: 100_000 }), ({ rpm, burst }, u, back) => {
        const p = paramsFor(rpm, burst);
        const s = { units: u % (p.capacity + 1), updatedAt: T0 };
        expect(refill(s, p, T0 - back)).toEqual(s);
      }),
    );
  });

  it('consumes from every bucket or from none', () => {
    const bucket = rules.chain(({ rpm, burst }) =>
      fc.record({
        params: fc.constant(paramsFor(rpm, burst)),
        units: fc.integer({ min: 0, max: burst * UNITS_PER_TOKEN }),
        age: fc.integer({ min: 0, max: 120_000 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(bucket, { minLength: 1, maxLength: 5 }), (buckets) => {
        const states = buckets.map((b) => ({ units: b.units, updatedAt: T0 - b.age }));
        const params = buckets.map((b) => b.params);
        const refilled = states.map((s, i) => refill(s, params[i], T0));
        const d = consumeAll(states, params, T0);
        expect(d.allowed).toBe(refilled.every((s) => s.units >= UNITS_PER_TOKEN));
        d.states.forEach((s, i) => {
          expect(s.units).toBe(refilled[i].units - (d.allowed ? UNITS_PER_TOKEN : 0));
        });
      }),
    );
  });

  it('clamps a bucket whose capacity was lowered', () => {
    const p = paramsFor(60, 2);
    expect(refill({ units: 10 * UNITS_PER_TOKEN, updatedAt: T0 }, p, T0).units).toBe(p.capacity);
  });

  it('rejects rules that are not positive integers', () => {
    expect(() => paramsFor(0, 1)).toThrow(RangeError);
    expect(() => paramsFor(10, 0)).toThrow(RangeError);
    expect(() => paramsFor(1.5, 1)).toThrow(RangeError);
  });

  it('reports remaining tokens and the wait for the next one', () => {
    const p = paramsFor(100, 10);
    expect(figuresOf(p.capacity, p)).toEqual({ remaining: 10, nextTokenMs: 0, retryAfterMs: 0, fullInMs: 0 });
    expect(figuresOf(9 * UNITS_PER_TOKEN, p)).toEqual({
      remaining: 9,
      nextTokenMs: 600,
      retryAfterMs: 0,
      fullInMs: 600,
    });
    expect(figuresOf(UNITS_PER_TOKEN / 2, p)).toEqual({
      remaining: 0,
      nextTokenMs: 300,
      retryAfterMs: 300,
      fullInMs: 5700,
    });
  });
});
