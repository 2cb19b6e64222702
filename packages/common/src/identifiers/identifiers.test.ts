import fc from 'fast-check';
import {
  API_NUMBER_PATTERN,
  formatApiNumber,
  isTexasCountyCode,
  looksLikeApiNumber,
  parseApiNumber,
  parseDistrict,
  isResourceId,
  parseIdentifier,
  parseLeaseNumber,
  parseOperatorNumber,
  RRC_DISTRICTS,
} from './index';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** A Texas county code: odd, 001–507. */
const countyCode = fc.integer({ min: 0, max: 253 }).map((i) => pad(2 * i + 1, 3));
const uniqueNumber = fc.integer({ min: 1, max: 99_999 }).map((n) => pad(n, 5));
const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => pad(n, 2));
const api14 = fc
  .tuple(countyCode, uniqueNumber, twoDigits, twoDigits)
  .map(([c, u, s, e]) => `42${c}${u}${s}${e}`);

describe('parseApiNumber', () => {
  it.each([
    ['42-329-12345', '42329123450000'],
    ['4232912345', '42329123450000'],
    [' 42-301-12345 ', '42301123450000'],
    ['42-329-12345-01', '42329123450100'],
    ['42 329 12345 01 02', '42329123450102'],
    ['42329123450102', '42329123450102'],
    ['42-001-00001', '42001000010000'],
    ['42-507-99999-99-99', '42507999999999'],
  ])('normalises %s to %s', (input, expected) => {
    expect(parseApiNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['43-329-12345', /state code 42/],
    ['30-015-12345-00', /state code 42/],
    ['42-329-1234', /10, 12 or 14 digits/],
    ['42-329-12345-0', /10, 12 or 14 digits/],
    ['42-329-12345-00-0', /10, 12 or 14 digits/],
    ['', /only digits/],
    ['42-000-12345', /county code/],
    ['42-328-12345', /county code/],
    ['42-509-12345', /county code/],
    ['42-999-99999', /county code/],
    ['42-329-00000', /unique well number/],
    ['42.329.12345', /only digits/],
    ['42-30A-12345', /only digits/],
    ['API 4232912345', /only digits/],
  ])('rejects %s', (input, reason) => {
    const r = parseApiNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('gives the same 14 digits with or without dashes, and round-trips the display form', () => {
    fc.assert(
      fc.property(api14, (n) => {
        expect(parseApiNumber(n)).toEqual({ ok: true, value: n });
        expect(parseApiNumber(formatApiNumber(n))).toEqual({ ok: true, value: n });
        expect(parseApiNumber(formatApiNumber(n).replace(/-/g, ' '))).toEqual({ ok: true, value: n });
        expect(looksLikeApiNumber(formatApiNumber(n))).toBe(true);
      }),
    );
  });

  it('pads 10 and 12 digits with zeros', () => {
    fc.assert(
      fc.property(countyCode, uniqueNumber, twoDigits, (c, u, s) => {
        expect(parseApiNumber(`42-${c}-${u}`)).toEqual({ ok: true, value: `42${c}${u}0000` });
        expect(parseApiNumber(`42-${c}-${u}-${s}`)).toEqual({ ok: true, value: `42${c}${u}${s}00` });
      }),
    );
  });

  it('is idempotent: a normalised number normalises to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 -]{1,20}$/), (s) => {
        const once = parseApiNumber(s);
        if (once.ok) expect(parseApiNumber(once.value)).toEqual(once);
      }),
    );
  });

  it('accepts exactly the Texas county codes: odd, 001 to 507', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), uniqueNumber, (county, u) => {
        const texas = county % 2 === 1 && county <= 507;
        expect(isTexasCountyCode(pad(county, 3))).toBe(texas);
        expect(parseApiNumber(`42${pad(county, 3)}${u}`).ok).toBe(texas);
      }),
    );
  });
});

describe('parseDistrict', () => {
  it('reads numbers with or without the leading zero and letters in either case', () => {
    expect(parseDistrict('8')).toEqual({ ok: true, value: '08' });
    expect(parseDistrict('8a')).toEqual({ ok: true, value: '8A' });
    expect(parseDistrict('08A')).toEqual({ ok: true, value: '8A' });
    expect(parseDistrict(' 7C ')).toEqual({ ok: true, value: '7C' });
    expect(parseDistrict('10')).toEqual({ ok: true, value: '10' });
    for (const bad of ['0', '11', '6F', '7A', '010', '', 'D8']) expect(parseDistrict(bad).ok).toBe(false);
  });

  it('yields only the RRC districts, and each district parses to itself', () => {
    for (const d of RRC_DISTRICTS) expect(parseDistrict(d)).toEqual({ ok: true, value: d });
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), (s) => {
        const r = parseDistrict(s);
        if (r.ok) expect(RRC_DISTRICTS).toContain(r.value);
      }),
    );
  });
});

describe('parseOperatorNumber', () => {
  it('pads to six digits and accepts the P-5 prefix', () => {
    expect(parseOperatorNumber('12345')).toEqual({ ok: true, value: '012345' });
    expect(parseOperatorNumber('P-5 654321')).toEqual({ ok: true, value: '654321' });
    expect(parseOperatorNumber('p5 #42')).toEqual({ ok: true, value: '000042' });
    expect(parseOperatorNumber('1234567').ok).toBe(false);
    expect(parseOperatorNumber('000').ok).toBe(false);
    expect(parseOperatorNumber('12a').ok).toBe(false);
  });

  it('round-trips every non-zero number of up to six digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), (n) => {
        const r = parseOperatorNumber(String(n));
        expect(r).toEqual({ ok: true, value: pad(n, 6) });
        if (r.ok) expect(parseOperatorNumber(r.value)).toEqual(r);
      }),
    );
  });
});

describe('parseLeaseNumber and parseIdentifier', () => {
  it('accept identifiers usable in an entity id, upper-cased', () => {
    expect(parseLeaseNumber('41235')).toEqual({ ok: true, value: '41235' });
    expect(parseLeaseNumber('lse-7a')).toEqual({ ok: true, value: 'LSE-7A' });
    for (const bad of ['41 235', 'a/b', 'a?b', 'a#b', 'a\\b', '.', '..', 'x'.repeat(101)])
      expect(parseLeaseNumber(bad).ok).toBe(false);
  });

  it('never yields a value with a character an entity id cannot hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const r = parseIdentifier(s);
        if (r.ok) expect(r.value).not.toMatch(/[/?#\s]/);
        if (r.ok) expect(isResourceId(r.value)).toBe(true);
      }),
    );
  });
});

describe('API_NUMBER_PATTERN', () => {
  const pattern = new RegExp(API_NUMBER_PATTERN);

  it('matches only numbers parseApiNumber accepts (what a document promises is accepted)', () => {
    fc.assert(
      fc.property(fc.stringMatching(pattern), (s) => {
        expect(parseApiNumber(s)).toMatchObject({ ok: true });
      }),
      { numRuns: 2000 },
    );
  });

  it('matches the usual written forms and refuses what parseApiNumber refuses', () => {
    for (const ok of [
      '42-329-30001',
      '42-329-30001-00',
      '42-329-30001-00-00',
      '42329300010000',
      '42 507 00001 01',
    ])
      expect(ok).toMatch(pattern);
    for (const bad of ['43-329-30001', '42-328-30001', '42-509-30001', '42-329-00000', '42-329-3000', '1'])
      expect(bad).not.toMatch(pattern);
  });
});
