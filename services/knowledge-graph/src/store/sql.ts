import { sql, type Dialect, type RawBuilder } from '@aegis/common';
import { PROPERTY_NAME_PATTERN } from '../domain/labels';

/** The few places where the two SQL dialects differ: reading one JSON property of the `properties`
 * text column. The property name is validated and bound as a parameter, never spliced into SQL. */

function checkName(name: string): string {
  if (!PROPERTY_NAME_PATTERN.test(name)) throw new TypeError(`Invalid property name ${JSON.stringify(name)}`);
  return name;
}

const propertiesOf = (alias: string) => sql.ref(alias ? `${alias}.properties` : 'properties');

/** The property as text ('true'/'false' for booleans, numbers in JSON form; NULL when absent). */
export function propText(dialect: Dialect, name: string, alias = ''): RawBuilder<string | null> {
  const col = propertiesOf(alias);
  const key = checkName(name);
  if (dialect === 'postgres') return sql<string | null>`(CAST(${col} AS jsonb) ->> ${key})`;
  const path = `$.${key}`;
  return sql<
    string | null
  >`(CASE json_type(${col}, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${col}, ${path}) AS TEXT) END)`;
}

/** The property as a double (NULL when absent or not numeric on SQLite; an error on PostgreSQL if it
 * is not numeric text, so only use it for properties the platform writes as numbers). */
export function propNumber(dialect: Dialect, name: string, alias = ''): RawBuilder<number | null> {
  const col = propertiesOf(alias);
  const key = checkName(name);
  if (dialect === 'postgres')
    return sql<
      number | null
    >`(CASE WHEN jsonb_typeof(CAST(${col} AS jsonb) -> ${key}) = 'number' THEN CAST(CAST(${col} AS jsonb) ->> ${key} AS DOUBLE PRECISION) END)`;
  const path = `$.${key}`;
  return sql<
    number | null
  >`(CASE WHEN json_type(${col}, ${path}) IN ('integer', 'real') THEN CAST(json_extract(${col}, ${path}) AS REAL) END)`;
}

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

/** An IN list padded (by repeating the last value) to a power-of-two length, so a few statement texts
 * cover every list size and stay in the prepared-statement cache. */
export function padList<T>(values: readonly T[]): T[] {
  if (values.length === 0) throw new TypeError('padList needs at least one value');
  let size = 8;
  while (size < values.length) size *= 2;
  const out = [...values];
  while (out.length < size) out.push(values[values.length - 1]);
  return out;
}

/** Items grouped by `keyOf`, in first-seen order (linear: each group is pushed to, never copied). */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
