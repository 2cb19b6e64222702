import { formatApiNumber, looksLikeApiNumber, normaliseApiNumber } from './api-number';

/** The rule itself is tested in @aegis/common (identifiers); these pin the knowledge graph's use. */
describe('normaliseApiNumber', () => {
  it('strips dashes and pads a 12-digit number to 14 digits (the ingestion contract example)', () => {
    expect(normaliseApiNumber('42-301-12345-00')).toEqual({ ok: true, value: '42301123450000' });
    expect(normaliseApiNumber('42-301-12345-01-02')).toEqual({ ok: true, value: '42301123450102' });
    expect(normaliseApiNumber(' 4230112345 ')).toEqual({ ok: true, value: '42301123450000' });
  });

  it('refuses what ingestion refuses: other states, county code 000, even county codes', () => {
    expect(normaliseApiNumber('30-015-12345-00')).toEqual({
      ok: false,
      reason: 'must be a Texas API number (state code 42)',
    });
    // Before the shared rule the knowledge graph stored 42-000-… wells that ingestion could not load.
    expect(normaliseApiNumber('42-000-12345')).toMatchObject({ ok: false, reason: /county code/ });
    expect(normaliseApiNumber('42-302-12345')).toMatchObject({ ok: false, reason: /county code/ });
  });

  it('formats for display in a form it reads back', () => {
    expect(formatApiNumber('42301123450102')).toBe('42-301-12345-01-02');
    expect(looksLikeApiNumber('42-301-12345-01-02')).toBe(true);
    expect(normaliseApiNumber(formatApiNumber('42301123450102'))).toEqual({
      ok: true,
      value: '42301123450102',
    });
  });
});
