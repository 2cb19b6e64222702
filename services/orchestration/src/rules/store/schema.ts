import type { Queryable, Store } from '@aegis/common';

/** One rule of a tenant's library. Times are RFC 3339 UTC strings. `status`, `active_version` and
 * `latest_version` are kept in step with the versions in the transaction that changes them;
 * `revision` grows with every change (conditional updates: concurrent writers of one rule never both
 * win). `source` is `bundled` for the rules the library ships, `tenant` for the tenant's own. */
export interface RulesTable {
  tenant_id: string;
  rule_id: string;
  rule_key: string;
  kind: string;
  title: string;
  citation: string;
  agency: string;
  description: string;
  /** The knowledge-graph entity the rule is about (`Regulation` REG-TAC-3.37, a `Field`, a
   * `Formation`): where the compliance monitor's rule-change impact starts. */
  graph_label: string | null;
  graph_id: string | null;
  source: string;
  status: string;
  active_version: number | null;
  latest_version: number;
  revision: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One version of a rule: its parameters (JSON text, valid for the rule's kind) and lifecycle. */
export interface RuleVersionsTable {
  tenant_id: string;
  rule_id: string;
  version: number;
  status: string;
  parameters: string;
  note: string | null;
  effective_from: string | null;
  created_by: string;
  created_at: string;
  activated_at: string | null;
  activated_by: string | null;
  superseded_at: string | null;
  retired_at: string | null;
  retired_by: string | null;
  updated_at: string;
}

export interface RulesDatabase {
  rules: RulesTable;
  rule_versions: RuleVersionsTable;
}

/** The store or one of its transactions. */
export type RulesDb = Queryable<RulesDatabase>;
export type RulesStore = Store<RulesDatabase>;

/** The rules library's entry points take the service's store, whose database type is wider (the
 * service's other tables too) and so not assignable to `RulesStore`: like the kit's sweeper, they take
 * any store and read it as one with the rules tables (`RULES_MIGRATIONS` applied). */
export function asRulesStore(store: Store): RulesStore {
  return store as RulesStore;
}
