import fc from 'fast-check';
import {
  fromBigInt,
  normaliseSqliteRow,
  parseIntegerText,
  parseNumericText,
  pgTextParser,
  PG_OID,
  toPgParams,
  toSqliteParams,
} from './values';

describe('parameter binding', () => {
  it('binds booleans as 1/0 and Dates as ISO-8601 UTC on both stores', () => {
    const at = new Date(Date.UTC(2024, 1, 29, 12, 30, 0, 5));
    expect(toSqliteParams([true, false, at, null, 'x', 2])).toEqual([
      1,
      0,
      '2024-02-29T12:30:00.005Z',
      null,
      'x',
      2,
    ]);
    expect(toPgParams([true, false, at, 12n])).toEqual([1, 0, '2024-02-29T12:30:00.005Z', '12']);
  });

  it('refuses undefined, objects and non-finite numbers', () => {
    expect(() => toSqliteParams([undefined as unknown as string])).toThrow(/parameter 1.*undefined/);
    expect(() => toPgParams(['a', { a: 1 } as unknown as string])).toThrow(/parameter 2/);
    expect(() => toSqliteParams([Number.NaN])).toThrow(/finite/);
  });
});

describe('integer normalisation', () => {
  it('returns safe integers as numbers and larger ones as exact bigints (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const fromSqlite = fromBigInt(value);
        const fromPg = parseIntegerText(value.toString());
        expect(fromPg).toEqual(fromSqlite);
        expect(BigInt(fromSqlite)).toBe(value);
        expect(typeof fromSqlite).toBe(
          Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? 'number' : 'bigint',
        );
      }),
    );
  });

  it('narrows bigint columns of a SQLite row and keeps other values', () => {
    expect(normaliseSqliteRow({ n: 5n, s: 'x', r: 1.5, z: null })).toEqual({ n: 5, s: 'x', r: 1.5, z: null });
  });

  it('parses PostgreSQL BIGINT, NUMERIC and BOOLEAN text like SQLite values', () => {
    expect(pgTextParser(PG_OID.int8)?.('42')).toBe(42);
    expect(pgTextParser(PG_OID.bool)?.('t')).toBe(1);
    expect(pgTextParser(PG_OID.bool)?.('f')).toBe(0);
    expect(parseNumericText('2.5')).toBe(2.5);
    expect(parseNumericText('123456789012345678901')).toBe(123456789012345678901n);
    expect(pgTextParser(25)).toBeUndefined();
  });
});
