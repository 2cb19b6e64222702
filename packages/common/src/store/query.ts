import { sql, type Expression, type OrderByModifiers, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { ListParams } from '../http/list';

/** Small query pieces every service store needs, written once over Kysely. */

export type SortDir = 'asc' | 'desc';

/** `LIKE` pattern for a case-insensitive substring match in which `%`, `_` and `\` match literally. */
export function likeContainsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `LOWER(column) LIKE '%text%' ESCAPE '\'` with the pattern bound: a literal substring, any case. */
export function containsText(column: string, text: string): Expression<SqlBool> {
  if (typeof text !== 'string') throw new TypeError(`contains on ${column} needs a string`);
  return sql<SqlBool>`LOWER(${sql.ref(column)}) LIKE ${likeContainsPattern(text)} ESCAPE '\\'`;
}

/** NULLs first ascending and last descending on both stores (SQLite's order, explicit for PostgreSQL). */
export function portableOrder(dir: SortDir): OrderByModifiers {
  if (dir !== 'asc' && dir !== 'desc') throw new TypeError('Sort direction must be asc or desc');
  return (ob) => (dir === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast());
}

/** A list endpoint's page: from parseListParams, with `sortBy` one of the store's sortable columns. */
export type PageParams<S extends string = string> = Pick<ListParams, 'limit' | 'offset' | 'sortDir'> & {
  sortBy: S;
};

export interface PageOptions {
  /** A unique column appended to the order so pages are stable (e.g. `id`). */
  tiebreaker?: string;
  /** `portable`: NULLs first ascending on both stores; `plain`: each store's default (the old order). */
  nulls?: 'portable' | 'plain';
}

/**
 * One page of a list endpoint plus the total, for listEnvelope(rows, total, params). `query` is the
 * filtered, selected query; `params.sortBy` must come from a whitelist of its columns (parseListParams
 * does this) and is checked again as an identifier. Page and total are two statements; pass a
 * transaction handle's query when they must agree exactly.
 */
export async function listPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  params: PageParams,
  options: PageOptions = {},
): Promise<{ rows: O[]; total: number }> {
  const dir = params.sortDir;
  const order: OrderByModifiers =
    options.nulls === 'portable' ? portableOrder(dir) : dir === 'desc' ? 'desc' : 'asc';
  let ordered = query.orderBy(sql.ref(params.sortBy), order);
  if (options.tiebreaker && options.tiebreaker !== params.sortBy)
    ordered = ordered.orderBy(sql.ref(options.tiebreaker), order);
  const rows = await ordered.limit(params.limit).offset(params.offset).execute();
  const count = await query
    .clearSelect()
    .select(sql<number>`COUNT(*)`.as('n'))
    .executeTakeFirst();
  return { rows, total: Number((count as { n?: number } | undefined)?.n ?? 0) };
}
