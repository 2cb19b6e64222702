import type { Store, TokenVerifier } from '@aegis/common';
import { isoDate } from '../domain/dates';

export interface RouteDeps {
  store: Store;
  verifier: TokenVerifier;
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
