/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { startRouteHarness, type RouteCaller } from '@aegis/testing';
import { createRulesLibrary, type RulesLibrary } from '../library';
import { RULES_MIGRATIONS } from '../store/migrations';
import type { RulesDatabase, RulesStore } from '../store/schema';

export type Caller = RouteCaller;

/** The rules routes alone in a service app, in process, on a store of the caller's choice, with a
 * local token issuer and a clock the test moves. */
export interface RulesHarness {
  store: RulesStore;
  library: RulesLibrary;
  clock: { now: number };
  request(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const T0 = Date.UTC(2026, 10, 1, 8);

export async function startRulesHarness(url = 'sqlite::memory:'): Promise<RulesHarness> {
  const clock = { now: T0 };
  let library: RulesLibrary | undefined;
  const harness = await startRouteHarness<RulesDatabase>({
    name: 'orchestration',
    url,
    migrations: RULES_MIGRATIONS,
    register: (api, { store }) => {
      library = createRulesLibrary(store, { now: () => clock.now });
      library.register(api);
    },
  });
  return {
    store: harness.store,
    library: library!,
    clock,
    request: (caller, method, path, body) => harness.request(caller, method, path, body),
    close: harness.close,
  };
}

export const admin: Caller = { user: 'ada', roles: ['admin'] };
export const viewer: Caller = { user: 'vic', roles: ['viewer'] };
export const operator: Caller = { user: 'olga', roles: ['operator'] };
export const otherAdmin: Caller = { user: 'bob', roles: ['admin'], tenant: 'tenant-b' };

/** Rows of the rules tables of a tenant (what a refused request must leave unchanged). */
export async function snapshotRows(store: RulesStore, tenant = 'tenant-a'): Promise<unknown[]> {
  const rules = await store.db
    .selectFrom('rules')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .orderBy('rule_id')
    .execute();
  const versions = await store.db
    .selectFrom('rule_versions')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .orderBy('rule_id')
    .orderBy('version')
    .execute();
  return [rules, versions];
}

/** A valid new Rule 37 field rule set; `over` replaces fields. */
export function newRule37(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rule_key: 'rule_37_spraberry',
    kind: 'rule_37',
    title: 'Spraberry (Trend Area) field rules',
    citation: '16 TAC §3.37; Spraberry (Trend Area) field rules',
    parameters: {
      lease_line_min_ft: 330,
      between_well_min_ft: 1_320,
      default_proration_unit_acres: 80,
      field_rules: [],
    },
    ...over,
  };
}
