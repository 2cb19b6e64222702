import type { SqlValue } from './types';

/** Pure conversions that make both drivers bind the same values and return the same JS types. */

type Bound = string | number | bigint | Buffer | null;

function checkValue(value: unknown, index: number): SqlValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`SQL parameter ${index + 1} is not a finite number`);
    return value;
  }
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  throw new TypeError(
    `SQL parameter ${index + 1} has unsupported type ${value === undefined ? 'undefined' : typeof value}`,
  );
}

/** Booleans become 1/0 and Dates ISO-8601 UTC strings on both stores (see ADR 0002). */
function portable(value: SqlValue): Bound {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

export function toSqliteParams(params: readonly SqlValue[] | undefined): Bound[] {
  return (params ?? []).map((v, i) => portable(checkValue(v, i)));
}

/** pg sends bigint as text; everything else as for SQLite. */
export function toPgParams(params: readonly SqlValue[] | undefined): (string | number | Buffer | null)[] {
  return (params ?? []).map((v, i) => {
    const bound = portable(checkValue(v, i));
    return typeof bound === 'bigint' ? bound.toString() : bound;
  });
}

/** Integers come back as `number` when safe, as `bigint` beyond ±2^53 (never silently rounded). */
export function fromBigInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

export function parseIntegerText(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** SQLite runs with safeIntegers(true): every INTEGER arrives as bigint and is narrowed here. */
export function normaliseSqliteRow<T>(row: unknown): T {
  const record = row as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'bigint') record[key] = fromBigInt(value);
  }
  return record as T;
}

/** NUMERIC (e.g. SUM over BIGINT, AVG): integral text as an integer, otherwise a double, like SQLite. */
export function parseNumericText(text: string): number | bigint {
  return /^-?\d+$/.test(text) ? parseIntegerText(text) : Number(text);
}

/** PostgreSQL type OIDs whose default parsing differs from what SQLite returns. */
export const PG_OID = { bool: 16, int8: 20, numeric: 1700 } as const;

/** Text-format parsers for the pool: BIGINT/COUNT(*) as numbers, NUMERIC as numbers, booleans as 1/0. */
export function pgTextParser(oid: number): ((text: string) => unknown) | undefined {
  switch (oid) {
    case PG_OID.int8:
      return parseIntegerText;
    case PG_OID.numeric:
      return parseNumericText;
    case PG_OID.bool:
      return (text: string) => (text === 't' ? 1 : 0);
    default:
      return undefined;
  }
}
