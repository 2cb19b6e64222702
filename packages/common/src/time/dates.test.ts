import fc from 'fast-check';
import { z } from 'zod';
import { isIsoDate, isIsoDateTime, isoDate, isoDateTime } from './dates';

describe('isIsoDate', () => {
  it('accepts calendar dates that exist, leap days of leap years only', () => {
    for (const d of ['2026-02-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-04-30'])
      expect(isIsoDate(d)).toBe(true);
  });

  it('refuses impossible dates and other forms', () => {
    for (const d of [
      '2026-02-30',
      '2026-13-45',
      '0000-00-00',
      '0000-01-01',
      '9999-99-99',
      '1900-02-29',
      '2026-04-31',
      '2026-1-01',
      '20260101',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
      '+02026-01-01',
    ])
      expect(isIsoDate(d)).toBe(false);
  });

  it('agrees with the calendar for every day of years 0001-9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const date = new Date(0);
          date.setUTCFullYear(y, m - 1, d);
          const exists =
            m >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
          expect(isIsoDate(text)).toBe(exists);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('isIsoDateTime', () => {
  it('accepts RFC 3339 date-times with seconds and an offset on dates that exist', () => {
    for (const t of ['2026-03-01T06:30:00Z', '2024-02-29T23:59:59.123456+14:00', '2026-03-01T00:00:00-05:00'])
      expect(isIsoDateTime(t)).toBe(true);
  });

  it('refuses impossible dates or times, missing seconds or offset', () => {
    for (const t of [
      '2026-02-30T00:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01T06:60:00Z',
      '2026-03-01T06:30Z',
      '2026-03-01T06:30:00',
      '2026-03-01 06:30:00Z',
      '2026-03-01',
      '0',
    ])
      expect(isIsoDateTime(t)).toBe(false);
  });
});

describe('isoDate / isoDateTime schemas', () => {
  it('say what is expected and document format and pattern', () => {
    const r = isoDate().safeParse('2026-02-30');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/YYYY-MM-DD that exists/);
    expect(z.toJSONSchema(isoDate())).toMatchObject({
      type: 'string',
      format: 'date',
      pattern: expect.any(String),
    });
    expect(z.toJSONSchema(isoDateTime())).toMatchObject({ format: 'date-time', pattern: expect.any(String) });
    expect(isoDateTime().safeParse('2026-03-01T06:30:00Z').success).toBe(true);
  });
});
