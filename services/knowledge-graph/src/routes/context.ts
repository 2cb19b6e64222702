import type { Store, TokenVerifier } from '@aegis/common';
import { isoDate } from '../domain/dates';
import type { DirectImports } from '../store/direct-import';

export interface RouteDeps {
  /** Every write goes through its `transaction` (with direct imports, that waits for an applying import). */
  store: Store;
  verifier: TokenVerifier;
  /** SQLite file stores: imports applied as they arrive (store/direct-import.ts). */
  imports?: DirectImports;
  now: () => number;
}

export const nowIso = (deps: RouteDeps) => new Date(deps.now()).toISOString();
export const today = (deps: RouteDeps) => isoDate(deps.now());

/** Query parameters that are list controls, not property filters. */
export const LIST_KEYS = new Set([
  'page',
  'page_size',
  'limit',
  'offset',
  'sort_by',
  'sort_dir',
  'sort_order',
  'tenant_id',
]);
