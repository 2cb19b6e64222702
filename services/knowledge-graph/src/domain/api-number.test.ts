import fc from 'fast-check';
import { formatApiNumber, looksLikeApiNumber, normaliseApiNumber } from './api-number';

describe('normaliseApiNumber', () => {
  it('strips dashes and pads a 12-digit number to 14 digits (the ingestion contract example)', () => {
    expect(normaliseApiNumber('42-301-12345-00')).toEqual({ ok: true, value: '42301123450000' });
    expect(normaliseApiNumber('42-301-12345-01')).toEqual({ ok: true, value: '42301123450100' });
    expect(normaliseApiNumber('42-301-12345-01-02')).toEqual({ ok: true, value: '42301123450102' });
  });

  it('pads a 10-digit number with zeros', () => {
    expect(normaliseApiNumber('42-301-12345')).toEqual({ ok: true, value: '42301123450000' });
    expect(normaliseApiNumber(' 4230112345 ')).toEqual({ ok: true, value: '42301123450000' });
  });

  it('refuses other lengths, letters and other states', () => {
    expect(normaliseApiNumber('42-301-1234').ok).toBe(false);
    expect(normaliseApiNumber('42-301-12345-0').ok).toBe(false);
    expect(normaliseApiNumber('42-301-12345-00-0').ok).toBe(false);
    expect(normaliseApiNumber('42-30A-12345').ok).toBe(false);
    expect(normaliseApiNumber('')).toMatchObject({ ok: false });
    expect(normaliseApiNumber('30-015-12345-00')).toEqual({
      ok: false,
      reason: 'must be a Texas API number (state code 42)',
    });
  });

  it('is idempotent and round-trips through the display form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^42\d{12}$/), (n) => {
        const once = normaliseApiNumber(formatApiNumber(n));
        expect(once).toEqual({ ok: true, value: n });
        expect(normaliseApiNumber(n)).toEqual(once);
        expect(looksLikeApiNumber(formatApiNumber(n))).toBe(true);
      }),
    );
  });
});
