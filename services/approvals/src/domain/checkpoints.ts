import type { ValidationIssue } from '@aegis/common';

/** The agent types of the domain's agent table. */
export const AGENT_TYPES = [
  'general',
  'rule_37',
  'rule_32',
  'compliance_monitor',
  'flaring_monitor',
] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

/** The approval checkpoints of spec §8. */
export const CHECKPOINT_TYPES = [
  'pre_filing',
  'good_cause_review',
  'emissions_review',
  'compliance_alert',
] as const;
export type CheckpointType = (typeof CHECKPOINT_TYPES)[number];

/** Which checkpoints each agent has (the domain's agent table: the general assistant has none). */
export const CHECKPOINTS_OF_AGENT: Readonly<Record<AgentType, readonly CheckpointType[]>> = {
  general: [],
  rule_37: ['pre_filing', 'good_cause_review'],
  rule_32: ['pre_filing', 'emissions_review'],
  compliance_monitor: ['compliance_alert'],
  flaring_monitor: ['compliance_alert'],
};

/** Checkpoints that stop a filing (a W-1, an R-32…): their payload must name the filing type. An alert
 * is not a filing, so `compliance_alert` may omit it. */
export const FILING_CHECKPOINTS: readonly CheckpointType[] = [
  'pre_filing',
  'good_cause_review',
  'emissions_review',
];

/** The cross-field rules of a new approval that its schema cannot say alone: the agent must have the
 * checkpoint, a filing checkpoint names its filing type, and `named_individual` names its reviewer. */
export function checkpointIssues(input: {
  agent_type: AgentType;
  checkpoint_type: CheckpointType;
  payload: { filing_type?: string };
  reviewer_strategy: string;
  reviewer_id?: string;
}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const allowed = CHECKPOINTS_OF_AGENT[input.agent_type];
  if (!allowed.includes(input.checkpoint_type)) {
    issues.push({
      loc: ['body', 'checkpoint_type'],
      msg:
        allowed.length === 0
          ? `agent type ${input.agent_type} has no approval checkpoints`
          : `agent type ${input.agent_type} has only the checkpoints ${allowed.join(', ')}`,
      type: 'value_error',
    });
  }
  if (FILING_CHECKPOINTS.includes(input.checkpoint_type) && !input.payload.filing_type) {
    issues.push({
      loc: ['body', 'payload', 'filing_type'],
      msg: `is required for a ${input.checkpoint_type} checkpoint`,
      type: 'missing',
    });
  }
  if (input.reviewer_strategy === 'named_individual' && !input.reviewer_id) {
    issues.push({ loc: ['body', 'reviewer_id'], msg: 'is required for named_individual', type: 'missing' });
  }
  return issues;
}
