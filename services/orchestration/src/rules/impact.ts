import type { Rule, RuleVersion } from './store/rules';

/** The knowledge-graph labels a rule can be about: where a rule change's impact is traced from. */
export const GRAPH_LABELS = ['Regulation', 'Field', 'Formation'] as const;
export type GraphLabel = (typeof GRAPH_LABELS)[number];

export interface GraphEntityRef {
  label: GraphLabel;
  id: string;
}

/**
 * The body of the compliance monitor's `POST /compliance/rule-changes` (exactly one of
 * `regulation_id`, `field_id`, `formation_id`), whose answer lists the wells the change affects.
 */
export interface RuleChangeRequest {
  regulation_id?: string;
  field_id?: string;
  formation_id?: string;
  description: string;
  effective_date: string;
}

const KEY = { Regulation: 'regulation_id', Field: 'field_id', Formation: 'formation_id' } as const;

/**
 * What to ask the compliance monitor when `version` of `rule` became active: the rule's graph entity,
 * a description naming the citation and version, and the day it takes effect (`effective_from`, else
 * the activation day). Undefined for a rule linked to no graph entity.
 */
export function ruleChangeRequest(rule: Rule, version: RuleVersion): RuleChangeRequest | undefined {
  if (rule.graph_entity === null) return undefined;
  const effective = version.effective_from ?? (version.activated_at ?? version.created_at).slice(0, 10);
  const note = version.note ? `: ${version.note}` : '';
  return {
    [KEY[rule.graph_entity.label]]: rule.graph_entity.id,
    description: `${rule.citation} version ${version.version} is active${note}`.slice(0, 2_000),
    effective_date: effective,
  };
}
