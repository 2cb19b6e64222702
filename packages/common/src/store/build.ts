import { quoteIdentifier } from './sql';
import type { SqlValue } from './types';

/** Pure SQL building for the query builder: identifiers validated and quoted, values always bound. */

export interface Statement {
  sql: string;
  params: SqlValue[];
}

export const COMPARISON_OPS = ['=', '<>', '<', '<=', '>', '>='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/**
 * One column's condition: a value (`=`, or `IS NULL` for null), a list (`IN`, an empty list matches
 * nothing), a comparison, or `contains` (case-insensitive substring; `%` and `_` match literally).
 */
export type WhereCondition =
  | SqlValue
  | readonly SqlValue[]
  | { readonly op: ComparisonOp; readonly value: SqlValue }
  | { readonly contains: string };

/** Conditions joined with AND. An `undefined` condition throws: a filter is never dropped silently. */
export type Where = Readonly<Record<string, WhereCondition>>;

/** Column values to write; `undefined` entries are left out (handy for partial updates). */
export type RowInput = Readonly<Record<string, SqlValue | undefined>>;

export type SortDir = 'asc' | 'desc';
export interface OrderBy {
  column: string;
  dir?: SortDir;
}

export interface SelectOptions {
  columns?: readonly string[];
  where?: Where;
  /** Columns here must come from a caller whitelist (parseListParams does this for `sort_by`). */
  orderBy?: OrderBy | readonly OrderBy[];
  limit?: number;
  offset?: number;
}

function isSqlScalar(value: unknown): value is SqlValue {
  return (
    value === null ||
    ['string', 'number', 'bigint', 'boolean'].includes(typeof value) ||
    Buffer.isBuffer(value) ||
    value instanceof Date
  );
}

function condition(column: string, cond: WhereCondition, params: SqlValue[]): string {
  const col = quoteIdentifier(column, 'column');
  if (cond === undefined) throw new TypeError(`Condition on ${column} is undefined`);
  if (cond === null) return `${col} IS NULL`;
  if (Array.isArray(cond)) {
    if (cond.length === 0) return '1 = 0';
    params.push(...(cond as readonly SqlValue[]));
    return `${col} IN (${cond.map(() => '?').join(', ')})`;
  }
  if (isSqlScalar(cond)) {
    params.push(cond);
    return `${col} = ?`;
  }
  if ('contains' in cond) {
    if (typeof cond.contains !== 'string') throw new TypeError(`contains on ${column} needs a string`);
    params.push(`%${cond.contains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return `LOWER(${col}) LIKE ? ESCAPE '\\'`;
  }
  if ('op' in cond && (COMPARISON_OPS as readonly string[]).includes(cond.op)) {
    if (cond.value === null)
      throw new TypeError(`Comparison on ${column} with null never matches; use null for IS NULL`);
    params.push(cond.value);
    return `${col} ${cond.op} ?`;
  }
  throw new TypeError(`Unsupported condition on ${column}`);
}

/** `WHERE …` (with a leading space) or '' for no conditions. */
export function whereClause(where: Where | undefined, params: SqlValue[]): string {
  const entries = Object.entries(where ?? {});
  if (entries.length === 0) return '';
  return ` WHERE ${entries.map(([column, cond]) => condition(column, cond, params)).join(' AND ')}`;
}

function definedEntries(row: RowInput): [string, SqlValue][] {
  return Object.entries(row).filter((entry): entry is [string, SqlValue] => entry[1] !== undefined);
}

function requireWhere(where: Where, what: string): void {
  if (Object.keys(where).length === 0)
    throw new TypeError(`${what} needs a non-empty where (no whole-table writes)`);
}

function nonNegativeInt(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`${what} must be a non-negative integer`);
  return value;
}

/** NULLs sort first ascending and last descending on both stores (SQLite's order, explicit for PG). */
export function orderClause(orderBy: OrderBy | readonly OrderBy[] | undefined): string {
  const list: readonly OrderBy[] =
    orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy as OrderBy];
  if (list.length === 0) return '';
  const parts = list.map(({ column, dir = 'asc' }) => {
    if (dir !== 'asc' && dir !== 'desc') throw new TypeError('Sort direction must be asc or desc');
    return `${quoteIdentifier(column, 'column')} ${dir === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`;
  });
  return ` ORDER BY ${parts.join(', ')}`;
}

export function buildInsert(table: string, row: RowInput): Statement {
  const entries = definedEntries(row);
  if (entries.length === 0) throw new TypeError('insertRow needs at least one column');
  const columns = entries.map(([c]) => quoteIdentifier(c, 'column'));
  return {
    sql: `INSERT INTO ${quoteIdentifier(table, 'table')} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    params: entries.map(([, v]) => v),
  };
}

/** INSERT … ON CONFLICT (…) DO UPDATE SET col = excluded.col (SQLite ≥ 3.24 and PostgreSQL). */
export function buildUpsert(
  table: string,
  row: RowInput,
  conflictColumns: readonly string[],
  updateColumns: readonly string[],
): Statement {
  if (conflictColumns.length === 0) throw new TypeError('upsertRow needs conflict columns');
  const insert = buildInsert(table, row);
  const present = new Set(definedEntries(row).map(([c]) => c));
  for (const c of [...conflictColumns, ...updateColumns]) {
    if (!present.has(c)) throw new TypeError(`upsertRow column ${c} is not in the row`);
  }
  const target = conflictColumns.map((c) => quoteIdentifier(c, 'column')).join(', ');
  const action =
    updateColumns.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updateColumns.map((c) => `${quoteIdentifier(c, 'column')} = excluded.${quoteIdentifier(c, 'column')}`).join(', ')}`;
  return { sql: `${insert.sql} ON CONFLICT (${target}) ${action}`, params: insert.params };
}

export function buildUpdate(table: string, set: RowInput, where: Where): Statement {
  const entries = definedEntries(set);
  if (entries.length === 0) throw new TypeError('updateRows needs at least one column to set');
  requireWhere(where, 'updateRows');
  const params: SqlValue[] = entries.map(([, v]) => v);
  const assignments = entries.map(([c]) => `${quoteIdentifier(c, 'column')} = ?`).join(', ');
  const sql = `UPDATE ${quoteIdentifier(table, 'table')} SET ${assignments}${whereClause(where, params)}`;
  return { sql, params };
}

export function buildDelete(table: string, where: Where): Statement {
  requireWhere(where, 'deleteRows');
  const params: SqlValue[] = [];
  return { sql: `DELETE FROM ${quoteIdentifier(table, 'table')}${whereClause(where, params)}`, params };
}

export function buildSelect(table: string, options: SelectOptions = {}): Statement {
  const params: SqlValue[] = [];
  const columns =
    options.columns && options.columns.length > 0
      ? options.columns.map((c) => quoteIdentifier(c, 'column')).join(', ')
      : '*';
  let sql = `SELECT ${columns} FROM ${quoteIdentifier(table, 'table')}${whereClause(options.where, params)}`;
  sql += orderClause(options.orderBy);
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(nonNegativeInt(options.limit, 'limit'));
  }
  if (options.offset !== undefined) {
    // SQLite accepts OFFSET only after LIMIT; LIMIT -1 means "no limit" there, LIMIT ALL in PostgreSQL.
    if (options.limit === undefined) throw new TypeError('offset needs a limit');
    sql += ' OFFSET ?';
    params.push(nonNegativeInt(options.offset, 'offset'));
  }
  return { sql, params };
}

export function buildCount(table: string, where?: Where): Statement {
  const params: SqlValue[] = [];
  return {
    sql: `SELECT COUNT(*) AS n FROM ${quoteIdentifier(table, 'table')}${whereClause(where, params)}`,
    params,
  };
}
