import { ConflictError, NotFoundError, type Store } from '@aegis/common';
import type { BundledKinds, BundledRuleKey } from './bundled';
import { parseParameters, type ParametersOf, type RuleKind } from './kinds';
import { bundledSeeder } from './store/operations';
import { activeByKey } from './store/rules';
import { asRulesStore } from './store/schema';

/** The active version of a rule, as the tools read it (cite `citation` and `version`). */
export interface ActiveRule<K extends RuleKind = RuleKind> {
  rule_id: string;
  rule_key: string;
  kind: K;
  citation: string;
  version: number;
  parameters: ParametersOf<K>;
}

/** The parameters of a bundled rule key (typed), or of a tenant's own key (kind given by the caller). */
export interface RuleParameters {
  /** The active parameters of a bundled rule (`rule_37` → Rule37Parameters). 404 `no_active_rule`
   * when the tenant retired it without activating another version. */
  active<K extends BundledRuleKey>(tenant: string, ruleKey: K): Promise<ParametersOf<BundledKinds[K]>>;
  /** The active version of any rule key, checked to be of `kind` (a field rule set of kind `rule_37`,
   * say); undefined when the tenant has no such rule or it has no active version. */
  activeRule<K extends RuleKind>(
    tenant: string,
    ruleKey: string,
    kind: K,
  ): Promise<ActiveRule<K> | undefined>;
  /** Forgets cached values: the tenant's (one key, or all of them). Transitions call it. */
  invalidate(tenant: string, ruleKey?: string): void;
}

export interface RuleParametersOptions {
  /** How long a value is served from memory (default 5 s; 0: every call reads the store). Another
   * replica's transition is seen at the latest after this long; this replica's at once. */
  ttlMs?: number;
  now?: () => number;
  /** Seeds the bundled rules for a tenant before its first read (default: `bundledSeeder(store)`). */
  ensureTenant?: (tenant: string) => Promise<void>;
}

const BUNDLED_KINDS: BundledKinds = {
  rule_32: 'rule_32',
  rule_37: 'rule_37',
  form_pr: 'form_pr',
  nsps_oooob: 'nsps_oooob',
};

/** Reads the tenant's active rule parameters for the tools, with a short per-tenant cache that a
 * transition (through `invalidate`) clears, so a newly activated version changes what they compute. */
export function createRuleParameters(anyStore: Store, options: RuleParametersOptions = {}): RuleParameters {
  const store = asRulesStore(anyStore);
  const ttlMs = options.ttlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const ensureTenant = options.ensureTenant ?? bundledSeeder(store, now);
  const cache = new Map<string, { at: number; value: Promise<ActiveRule | undefined> }>();
  const cacheKey = (tenant: string, ruleKey: string) => `${tenant}\u0000${ruleKey}`;

  const read = async (tenant: string, ruleKey: string): Promise<ActiveRule | undefined> => {
    await ensureTenant(tenant);
    const found = await activeByKey(store, tenant, ruleKey);
    if (!found) return undefined;
    const kind = found.rule.kind as RuleKind;
    return {
      rule_id: found.rule.rule_id,
      rule_key: found.rule.rule_key,
      kind,
      citation: found.rule.citation,
      version: Number(found.version.version),
      parameters: parseParameters(kind, JSON.parse(found.version.parameters), 'stored'),
    };
  };

  const cached = (tenant: string, ruleKey: string): Promise<ActiveRule | undefined> => {
    const key = cacheKey(tenant, ruleKey);
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const value = read(tenant, ruleKey);
    // A failed read is not remembered.
    void value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    if (ttlMs > 0) cache.set(key, { at: now(), value });
    return value;
  };

  const activeRule = async <K extends RuleKind>(tenant: string, ruleKey: string, kind: K) => {
    const rule = await cached(tenant, ruleKey);
    if (rule && rule.kind !== kind)
      throw new ConflictError(`Rule ${ruleKey} is of kind ${rule.kind}, not ${kind}`, 'rule_kind_mismatch');
    return rule as ActiveRule<K> | undefined;
  };

  return {
    activeRule,
    active: async <K extends BundledRuleKey>(tenant: string, ruleKey: K) => {
      const rule = await activeRule(tenant, ruleKey, BUNDLED_KINDS[ruleKey]);
      if (!rule) throw new NotFoundError(`Rule ${ruleKey} has no active version`, 'no_active_rule');
      return rule.parameters as ParametersOf<BundledKinds[K]>;
    },
    invalidate: (tenant, ruleKey) => {
      if (ruleKey !== undefined) {
        cache.delete(cacheKey(tenant, ruleKey));
        return;
      }
      for (const key of cache.keys()) if (key.startsWith(`${tenant}\u0000`)) cache.delete(key);
    },
  };
}
