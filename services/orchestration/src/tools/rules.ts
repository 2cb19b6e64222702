import { NotFoundError } from '@aegis/common';
import { RULE_32, RULE_37 } from '../rules/bundled';
import type { ParametersOf } from '../rules/kinds';
import type { ToolContext } from './types';

/** The rule version a tool computed with, cited in its result. */
export interface RuleVersionCited {
  rule_key: string;
  citation: string;
  /** The active version's number; null when the bundled values were used (no rules library). */
  version: number | null;
  /** `rules_library`: the tenant's active version; `bundled`: the values the library ships. */
  source: 'rules_library' | 'bundled';
}

const BUNDLED = { rule_32: RULE_32, rule_37: RULE_37 } as const;
type ToolRuleKey = keyof typeof BUNDLED;

/**
 * The tenant's active parameters of `ruleKey` and the version to cite: from the rules library of the
 * context (a new active version changes what the tools compute, within the library's cache time), or
 * the bundled values when the context has no library (unit tests). A rule the tenant retired without
 * activating another version is a 404 `no_active_rule` (nothing to compute with).
 */
export async function activeRuleOf<K extends ToolRuleKey>(
  ctx: Pick<ToolContext, 'tenantId' | 'rules'>,
  ruleKey: K,
): Promise<{ parameters: ParametersOf<K>; cited: RuleVersionCited }> {
  const bundled = BUNDLED[ruleKey];
  if (!ctx.rules)
    return {
      parameters: bundled.parameters as ParametersOf<K>,
      cited: { rule_key: ruleKey, citation: bundled.citation, version: null, source: 'bundled' },
    };
  const active = await ctx.rules.activeRule(ctx.tenantId, ruleKey, ruleKey);
  if (!active) throw new NotFoundError(`Rule ${ruleKey} has no active version`, 'no_active_rule');
  return {
    parameters: active.parameters,
    cited: {
      rule_key: active.rule_key,
      citation: active.citation,
      version: active.version,
      source: 'rules_library',
    },
  };
}
