/** In-memory ordering of the dashboard's lists (the figures are computed, not stored). Pure. */
import { CELL_STATUSES, type CellStatus } from './types';

export type SortKey = string | number;

/** A stable sort by `key` (numbers compared as numbers, text as text), then by `tie`. */
export function sortBy<T>(
  items: readonly T[],
  key: (t: T) => SortKey,
  dir: 'asc' | 'desc',
  tie: (t: T) => string,
): T[] {
  const sign = dir === 'desc' ? -1 : 1;
  const cmp = (x: SortKey, y: SortKey) => (x < y ? -1 : x > y ? 1 : 0);
  return [...items].sort((a, b) => sign * cmp(key(a), key(b)) || cmp(tie(a), tie(b)));
}

/** A cell status's urgency: 0 for `overdue`, the most urgent. */
export const urgency = (s: CellStatus): number => CELL_STATUSES.indexOf(s);

/** Level severity: 0 for critical. */
export const severity = (level: string): number => ['critical', 'warning', 'info'].indexOf(level);
