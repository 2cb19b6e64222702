import fc from 'fast-check';
import {
  parseDate,
  parseDateTime,
  parseInteger,
  parseLatitude,
  parseLongitude,
  parseMonth,
  parseNumber,
  parseText,
  slug,
} from './values';

describe('parseDate', () => {
  it.each([
    ['2021-03-05', '2021-03-05'],
    ['2021/3/5', '2021-03-05'],
    ['03/05/2021', '2021-03-05'],
    ['3/5/2021', '2021-03-05'],
    ['20210305', '2021-03-05'],
    ['2021-03-05T10:00:00Z', '2021-03-05'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['2023-02-29', '13/01/2021', '2021-00-10', 'yesterday', '1850-01-01', '05.03.2021'])(
    'rejects %s',
    (input) => {
      expect(parseDate(input).ok).toBe(false);
    },
  );

  it('round-trips every calendar date between 1900 and 2100 in both orders', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2100-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-');
          expect(parseDate(iso)).toEqual({ ok: true, value: iso });
          expect(parseDate(`${m}/${day}/${y}`)).toEqual({ ok: true, value: iso });
        },
      ),
    );
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2024-03-01T06:30:00Z', '2024-03-01T06:30:00Z'],
    ['2024-03-01 06:30', '2024-03-01T06:30:00Z'],
    ['2024-03-01T06:30:15-05:00', '2024-03-01T11:30:15Z'],
    ['03/01/2024 23:59:59', '2024-03-01T23:59:59Z'],
    ['2024-03-01', '2024-03-01T00:00:00Z'],
    ['2024-03-01T00:30:00+0200', '2024-02-29T22:30:00Z'],
  ])('reads %s as %s (UTC)', (input, expected) => {
    expect(parseDateTime(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['2024-03-01T24:00', '2024-03-01T10:61', 'soon', '2024-13-01T10:00Z'])('rejects %s', (input) => {
    expect(parseDateTime(input).ok).toBe(false);
  });
});

describe('parseMonth', () => {
  it.each([
    ['2024-01', '2024-01'],
    ['202401', '2024-01'],
    ['1/2024', '2024-01'],
    ['2024-01-31', '2024-01'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseMonth(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['2024-13', '202400', 'Jan 2024'])('rejects %s', (input) => {
    expect(parseMonth(input).ok).toBe(false);
  });
});

describe('parseNumber and parseInteger', () => {
  it('reads plain, signed, exponent and thousands-separated numbers', () => {
    expect(parseNumber('1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseNumber('-0.5')).toEqual({ ok: true, value: -0.5 });
    expect(parseNumber('.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseNumber('1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseNumber('12,34').ok).toBe(false);
    expect(parseNumber('12 bbl').ok).toBe(false);
    expect(parseNumber('Infinity').ok).toBe(false);
    expect(parseNumber('-1', 0)).toEqual({ ok: false, reason: 'must be at least 0' });
    expect(parseInteger('31', 0, 31)).toEqual({ ok: true, value: 31 });
    expect(parseInteger('2.5')).toEqual({ ok: false, reason: 'must be an integer' });
  });

  it('reads back every finite number it prints', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(parseNumber(String(n))).toEqual({ ok: true, value: n === 0 ? 0 : n });
      }),
    );
  });
});

describe('coordinates and names', () => {
  it('accepts Texas and names what is wrong otherwise', () => {
    expect(parseLatitude('31.9')).toEqual({ ok: true, value: 31.9 });
    expect(parseLatitude('45.1')).toMatchObject({ ok: false, reason: expect.stringMatching(/within Texas/) });
    expect(parseLongitude('-102.1')).toEqual({ ok: true, value: -102.1 });
    expect(parseLongitude('102.1')).toMatchObject({ ok: false, reason: expect.stringMatching(/negative/) });
    expect(parseLongitude('-80.0')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/within Texas/),
    });
  });

  it('slugs names to stable keys', () => {
    expect(slug('Caprock Energy Partners, LP')).toBe('caprock-energy-partners-lp');
    expect(slug('  Épée  Oil & Gas ')).toBe('epee-oil-gas');
  });
});

describe('parseText', () => {
  it('collapses runs of spaces and tabs but keeps line breaks (as \\n)', () => {
    expect(parseText('Well  1 \r\n\tSouth pad\rNorth')).toEqual({
      ok: true,
      value: 'Well 1\nSouth pad\nNorth',
    });
  });

  it('never leaves a carriage return or a run of spaces', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseText(text, 10_000);
        return parsed.ok && !/\r| {2}|\t/.test(parsed.value);
      }),
    );
  });

  it('gives what the three replacements give, also when it skips them for plainly spaced text', () => {
    const replaced = (text: string) =>
      text
        .replace(/\r\n?/g, '\n')
        .replace(/[^\S\n]+/g, ' ')
        .replace(/ ?\n ?/g, '\n');
    const unit = fc.constantFrom('a', 'Z', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u2003', 'é', '-');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (units) => {
        const text = units.join('');
        expect(parseText(text, 10_000)).toEqual({ ok: true, value: replaced(text) });
      }),
      { numRuns: 2000 },
    );
  });
});
