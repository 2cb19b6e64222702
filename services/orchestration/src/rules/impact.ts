import { AppError, type Logger } from '@aegis/common';
import { ruleChangesAnswer, type ruleChangesBody } from '@aegis/compliance-monitor';
import type { GraphCaller } from '@aegis/graph-client';
import type { z } from 'zod';
import { UPSTREAMS, upstreamPost, type UpstreamOptions } from '../upstream';
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
 * `regulation_id`, `field_id`, `formation_id`), whose answer lists the wells the change affects: the
 * monitor's own schema (`ruleChangesBody`), so there is one.
 */
export type RuleChangeRequest = z.input<typeof ruleChangesBody>;
/** The monitor's answer: the changed entity and the wells it affects, with their alerts. */
export type RuleChangeImpact = z.output<typeof ruleChangesAnswer>;

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

/** Asks the compliance monitor which wells a rule change affects (with the caller's token). */
export type RuleChangeImpactSource = (
  caller: GraphCaller,
  body: RuleChangeRequest,
) => Promise<RuleChangeImpact>;

/** `POST /compliance/rule-changes` of the compliance monitor at `baseUrl` (COMPLIANCE_MONITOR_URL). An
 * unreachable or silent monitor is `compliance_monitor_unavailable` / `_timeout`, a refusal its
 * 401/403, any other unexpected answer `compliance_monitor_error`. */
export function createRuleChangeImpact(options: UpstreamOptions): RuleChangeImpactSource {
  return upstreamPost(
    options,
    UPSTREAMS['compliance-monitor'],
    '/compliance/rule-changes',
    ruleChangesAnswer,
    'list the wells the rule change affects',
  );
}

/** Why a transition's response has no `impact`: the error's code and message. */
export interface ImpactError {
  code: string;
  message: string;
}

/** The impact of an activation for the transition's response: `{ impact }` from the monitor, or
 * `{ impact_error }` when it could not be read (the activation is committed regardless); nothing for
 * a rule linked to no graph entity. */
export async function activationImpact(
  source: RuleChangeImpactSource,
  caller: GraphCaller,
  rule: Rule,
  version: RuleVersion,
  logger?: Logger,
): Promise<{ impact?: RuleChangeImpact; impact_error?: ImpactError }> {
  const body = ruleChangeRequest(rule, version);
  if (!body) return {};
  try {
    return { impact: await source(caller, body) };
  } catch (err) {
    logger?.warn({ err, rule_id: rule.rule_id, version: version.version }, 'Rule change impact not read');
    if (err instanceof AppError) return { impact_error: { code: err.code, message: err.message } };
    return {
      impact_error: {
        code: 'compliance_monitor_error',
        message: 'The compliance monitor failed to list the wells the rule change affects',
      },
    };
  }
}
