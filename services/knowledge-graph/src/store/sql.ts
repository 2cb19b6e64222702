import type { Dialect, SqlValue } from '@aegis/common';
import { PROPERTY_NAME_PATTERN } from '../domain/labels';

/** The few places where the two SQL dialects differ: reading one JSON property of the `properties`
 * text column. The property name is validated and bound as a parameter, never spliced into SQL. */
export interface Fragment {
  sql: string;
  params: SqlValue[];
}

function checkName(name: string): string {
  if (!PROPERTY_NAME_PATTERN.test(name)) throw new TypeError(`Invalid property name ${JSON.stringify(name)}`);
  return name;
}

/** The property as text ('true'/'false' for booleans, numbers in JSON form; NULL when absent). */
export function propText(dialect: Dialect, name: string, alias = ''): Fragment {
  const col = `${alias ? `${alias}.` : ''}properties`;
  const key = checkName(name);
  if (dialect === 'postgres') return { sql: `(CAST(${col} AS jsonb) ->> ?)`, params: [key] };
  return {
    sql: `(CASE json_type(${col}, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${col}, ?) AS TEXT) END)`,
    params: [`$.${key}`, `$.${key}`],
  };
}

/** The property as a double (NULL when absent or not numeric on SQLite; an error on PostgreSQL if it
 * is not numeric text, so only use it for properties the platform writes as numbers). */
export function propNumber(dialect: Dialect, name: string, alias = ''): Fragment {
  const col = `${alias ? `${alias}.` : ''}properties`;
  const key = checkName(name);
  if (dialect === 'postgres')
    return {
      sql: `(CASE WHEN jsonb_typeof(CAST(${col} AS jsonb) -> ?) = 'number' THEN CAST(CAST(${col} AS jsonb) ->> ? AS DOUBLE PRECISION) END)`,
      params: [key, key],
    };
  return {
    sql: `(CASE WHEN json_type(${col}, ?) IN ('integer', 'real') THEN CAST(json_extract(${col}, ?) AS REAL) END)`,
    params: [`$.${key}`, `$.${key}`],
  };
}

export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function parseJson(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isFragment(v: unknown): v is Fragment {
  return (
    typeof v === 'object' &&
    v !== null &&
    'sql' in v &&
    'params' in v &&
    !(v instanceof Date) &&
    !Buffer.isBuffer(v)
  );
}

/** Tagged template: fragments are spliced with their parameters, every other value becomes a bound `?`. */
export function q(strings: TemplateStringsArray, ...values: (Fragment | SqlValue)[]): Fragment {
  let text = strings[0];
  const params: SqlValue[] = [];
  values.forEach((v, i) => {
    if (isFragment(v)) {
      text += v.sql;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1];
  });
  return { sql: text, params };
}

export const raw = (sql: string): Fragment => ({ sql, params: [] });

/** `?, ?, …` for an IN list padded (by repeating the last value) to a power-of-two length, so a few
 * statement texts cover every list size and stay in the prepared-statement cache. */
export function inList(values: readonly SqlValue[]): Fragment {
  if (values.length === 0) throw new TypeError('inList needs at least one value');
  let size = 8;
  while (size < values.length) size *= 2;
  const params = [...values];
  while (params.length < size) params.push(values[values.length - 1]);
  return { sql: placeholders(size), params };
}
