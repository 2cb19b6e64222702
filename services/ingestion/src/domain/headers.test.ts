import fc from 'fast-check';
import { DATA_TYPES, FIELD_SPECS } from './datatypes';
import { aliasIndex, mapHeaders, normaliseHeader } from './headers';

describe('normaliseHeader', () => {
  it.each([
    ['API No.', 'api_number'],
    ['API Number', 'api_number'],
    ['API #', 'api_number'],
    ['api_no', 'api_number'],
    ['apiNumber', 'api_number'],
    ['APINumber', 'api_number'],
    ['\uFEFF  Operator   Name ', 'operator_name'],
    ['OPERATOR-NAME', 'operator_name'],
    ['Well #', 'well_number'],
    ['Gas (MCF)', 'gas_mcf'],
    ['Lat', 'lat'],
    ['TD (ft)', 'td_ft'],
    ['***', ''],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseHeader(raw)).toBe(expected);
  });

  const headerText = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._#()-]{0,30}$/);

  it('is idempotent', () => {
    fc.assert(
      fc.property(headerText, (h) => {
        const once = normaliseHeader(h);
        expect(normaliseHeader(once)).toBe(once);
      }),
    );
  });

  it('ignores a BOM, surrounding whitespace, spacing and punctuation between words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(' ', '  ', '_', '-', '.', ' / '),
        fc.boolean(),
        (words, sep, bom) => {
          const expected = normaliseHeader(words.join(' '));
          expect(normaliseHeader(`${bom ? '\uFEFF' : ''}  ${words.join(sep)}\t`)).toBe(expected);
        },
      ),
    );
  });

  it('ignores letter case of whole words', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 4 }), (words) => {
        expect(normaliseHeader(words.map((w) => w.toUpperCase()).join(' '))).toBe(
          normaliseHeader(words.join(' ')),
        );
      }),
    );
  });
});

describe('aliasIndex', () => {
  it.each(DATA_TYPES)('maps every alias of %s to one field only', (dataType) => {
    const seen = new Map<string, string>();
    for (const spec of FIELD_SPECS[dataType]) {
      for (const alias of [spec.name, ...(spec.aliases ?? [])]) {
        const key = normaliseHeader(alias);
        const owner = seen.get(key);
        if (owner !== undefined) expect(`${key} → ${owner}`).toBe(`${key} → ${spec.name}`);
        seen.set(key, spec.name);
      }
    }
    expect(aliasIndex(dataType).size).toBe(seen.size);
  });
});

describe('mapHeaders', () => {
  it('maps known aliases, keeps unknown columns as extra properties and ignores empty headers', () => {
    const m = mapHeaders('wells', [
      '\uFEFFAPI No.',
      'Operator Name',
      'Lat',
      'Longitude',
      'Pad Name',
      '',
      '2nd Zone',
    ]);
    expect(m.columns).toEqual([
      { kind: 'field', field: 'api_number' },
      { kind: 'field', field: 'operator_name' },
      { kind: 'field', field: 'latitude' },
      { kind: 'field', field: 'longitude' },
      { kind: 'extra', property: 'pad_name' },
      null,
      { kind: 'extra', property: 'c_2nd_zone' },
    ]);
    expect(m.missing).toEqual([]);
    expect(m.duplicates).toEqual([]);
  });

  it('names required columns that are missing and columns that mean the same field', () => {
    const m = mapHeaders('flaring', ['API', 'API Number', 'Reason']);
    expect(m.missing).toEqual(['start_time', 'volume_mcf']);
    expect(m.duplicates).toEqual([{ field: 'api_number', headers: ['API', 'API Number'] }]);
  });
});
