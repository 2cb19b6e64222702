import fc from 'fast-check';
import { monthEnd, monthInPeriod, monthsSpanning, periodEnding, periodsEnding, shiftDate } from './periods';

const day = fc
  .integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2090, 0, 1) / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

describe('shiftDate', () => {
  it.each([
    ['2026-03-01', -1, '2026-02-28'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-06-20', -30, '2026-05-21'],
    ['2026-06-20', 0, '2026-06-20'],
  ])('%s moved by %i days is %s', (date, days, expected) => {
    expect(shiftDate(date, days)).toBe(expected);
  });

  it('moving forth and back returns the same day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -5000, max: 5000 }), (d, n) => shiftDate(shiftDate(d, n), -n) === d),
    );
  });
});

describe('periodEnding / periodsEnding', () => {
  it('a period of n days ends on its day and starts n − 1 days before', () => {
    expect(periodEnding('2026-06-20', 30)).toEqual({ from: '2026-05-22', to: '2026-06-20' });
    expect(periodEnding('2026-06-20', 1)).toEqual({ from: '2026-06-20', to: '2026-06-20' });
  });

  it('consecutive periods tile the days without gap or overlap, the last ending on as_of', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 12 }),
        (asOf, days, count) => {
          const ps = periodsEnding(asOf, days, count);
          expect(ps).toHaveLength(count);
          expect(ps[count - 1].to).toBe(asOf);
          for (let i = 1; i < ps.length; i += 1) expect(shiftDate(ps[i - 1].to, 1)).toBe(ps[i].from);
          for (const p of ps) expect(shiftDate(p.from, days - 1)).toBe(p.to);
        },
      ),
    );
  });
});

describe('monthEnd / monthInPeriod / monthsSpanning', () => {
  it.each([
    ['2024-02', '2024-02-29'],
    ['2026-02', '2026-02-28'],
    ['2026-12', '2026-12-31'],
    ['2026-04', '2026-04-30'],
  ])('%s ends on %s', (month, end) => expect(monthEnd(month)).toBe(end));

  it.each([
    ['2026-05', { from: '2026-05-22', to: '2026-06-20' }, true],
    ['2026-06', { from: '2026-05-22', to: '2026-06-20' }, false],
    ['2026-04', { from: '2026-04-22', to: '2026-05-21' }, true],
    ['2026-04', { from: '2026-05-01', to: '2026-05-31' }, false],
  ])('month %s in %o: %s', (month, p, expected) => expect(monthInPeriod(month, p)).toBe(expected));

  it('covers every month ending in the range, counted from the range’s first month', () => {
    expect(monthsSpanning('2026-04-22', '2026-06-20')).toBe(3);
    expect(monthsSpanning('2025-12-31', '2026-01-01')).toBe(2);
    expect(monthsSpanning('2026-06-01', '2026-06-20')).toBe(1);
  });
});
