import type { ListParams } from '../http/list';
import {
  buildCount,
  buildDelete,
  buildInsert,
  buildSelect,
  buildUpdate,
  buildUpsert,
  type OrderBy,
  type RowInput,
  type SelectOptions,
  type Where,
} from './build';
import type { Queryable } from './types';

/**
 * The query builder services use for the common cases, over a Store or a transaction handle. Table and
 * column names are validated identifiers (never user input); every value is a bound parameter.
 */

export async function insertRow(db: Queryable, table: string, row: RowInput): Promise<void> {
  const { sql, params } = buildInsert(table, row);
  await db.run(sql, params);
}

/** Inserts, or on a conflict over `conflictColumns` updates `updateColumns` (none: DO NOTHING). Returns rows written. */
export async function upsertRow(
  db: Queryable,
  table: string,
  row: RowInput,
  conflictColumns: readonly string[],
  updateColumns: readonly string[],
): Promise<number> {
  const { sql, params } = buildUpsert(table, row, conflictColumns, updateColumns);
  return (await db.run(sql, params)).changes;
}

/** Updates the rows matching a non-empty `where`; returns how many matched. */
export async function updateRows(db: Queryable, table: string, set: RowInput, where: Where): Promise<number> {
  const { sql, params } = buildUpdate(table, set, where);
  return (await db.run(sql, params)).changes;
}

/** Deletes the rows matching a non-empty `where`; returns how many. */
export async function deleteRows(db: Queryable, table: string, where: Where): Promise<number> {
  const { sql, params } = buildDelete(table, where);
  return (await db.run(sql, params)).changes;
}

export async function selectRows<T = Record<string, unknown>>(
  db: Queryable,
  table: string,
  options: SelectOptions = {},
): Promise<T[]> {
  const { sql, params } = buildSelect(table, options);
  return db.all<T>(sql, params);
}

/** The first row matching `where` (at most one is read), or undefined. */
export async function selectRow<T = Record<string, unknown>>(
  db: Queryable,
  table: string,
  where: Where,
  columns?: readonly string[],
): Promise<T | undefined> {
  const { sql, params } = buildSelect(table, { where, columns, limit: 1 });
  return db.get<T>(sql, params);
}

export async function countRows(db: Queryable, table: string, where?: Where): Promise<number> {
  const { sql, params } = buildCount(table, where);
  const row = await db.get<{ n: number | bigint }>(sql, params);
  return Number(row?.n ?? 0);
}

export interface ListRowsOptions<C extends string> {
  where?: Where;
  columns?: readonly string[];
  /** From parseListParams: page/limit/offset and the whitelisted sortBy/sortDir. */
  params: Pick<ListParams, 'limit' | 'offset' | 'sortDir'> & { sortBy: C };
  /** Maps a public sort name to its column when they differ (default: the same name). */
  sortColumns?: Readonly<Partial<Record<C, string>>>;
  /** A unique column appended to the order so pages are stable (e.g. `id`). */
  tiebreaker?: string;
}

/**
 * One page of a list endpoint plus the total, for listEnvelope(rows, total, params):
 *   const params = parseListParams(ctx.query, { sortable: ['created_at', 'email'], defaultSort: 'created_at' });
 *   const { rows, total } = await listRows(db, 'users', { where: { tenant_id }, params, tiebreaker: 'id' });
 *   ctx.body = listEnvelope(rows.map(toApi), total, params);
 * Page and total are two statements; pass a transaction handle when they must agree exactly.
 */
export async function listRows<T = Record<string, unknown>, C extends string = string>(
  db: Queryable,
  table: string,
  options: ListRowsOptions<C>,
): Promise<{ rows: T[]; total: number }> {
  const { params } = options;
  const orderBy: OrderBy[] = [
    { column: options.sortColumns?.[params.sortBy] ?? params.sortBy, dir: params.sortDir },
  ];
  if (options.tiebreaker && options.tiebreaker !== orderBy[0].column) {
    orderBy.push({ column: options.tiebreaker, dir: params.sortDir });
  }
  const rows = await selectRows<T>(db, table, {
    where: options.where,
    columns: options.columns,
    orderBy,
    limit: params.limit,
    offset: params.offset,
  });
  const total = await countRows(db, table, options.where);
  return { rows, total };
}
