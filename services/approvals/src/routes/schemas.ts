import { isoDateTime, resourceId } from '@aegis/common';
import { z } from 'zod';
import { AGENT_TYPES, CHECKPOINT_TYPES } from '../domain/checkpoints';
import { APPROVAL_STATUSES, DECISIONS, REVIEWER_STRATEGIES } from '../domain/decision';

/** A user id (the `sub` of a token; a service's is `service:<name>`). */
const userId = z.string().min(1).max(200);
const jsonObject = () => z.record(z.string(), z.unknown());

export const agentTypeSchema = z.enum(AGENT_TYPES).meta({ id: 'AgentType' });
export const checkpointTypeSchema = z.enum(CHECKPOINT_TYPES).meta({
  id: 'CheckpointType',
  description:
    'rule_37: pre_filing, good_cause_review; rule_32: pre_filing, emissions_review; compliance_monitor and flaring_monitor: compliance_alert; general: none.',
});
export const reviewerStrategySchema = z.enum(REVIEWER_STRATEGIES).meta({
  id: 'ReviewerStrategy',
  description:
    'named_individual: only `reviewer_id` decides; any_reviewer: any reviewer decides; four_eyes: two different reviewers must approve, the requester (and `on_behalf_of`) never decides, one rejection decides.',
});
export const statusSchema = z.enum(APPROVAL_STATUSES).meta({ id: 'ApprovalStatus' });
export const decisionSchema = z.enum(DECISIONS).meta({ id: 'Decision' });

export const proposedActionSchema = z
  .strictObject({
    tool_name: z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/, {
      message: 'must be a tool name: lowercase letters, digits, _ . -',
    }),
    description: z.string().max(2000).optional(),
    arguments: jsonObject().describe('The tool call’s arguments (a JSON object)'),
  })
  .meta({
    id: 'ProposedAction',
    description: 'What the agent intends to do: the tool call the run stopped at.',
  });

const payloadInput = z
  .looseObject({
    filing_type: z
      .string()
      .min(1)
      .max(50)
      .optional()
      .describe('Required for pre_filing, good_cause_review and emissions_review'),
    entity_id: z.string().min(1).max(200),
    summary: z.string().min(1).max(4000),
  })
  .meta({ id: 'ApprovalPayload' });

export const createBody = z.strictObject({
  conversation_id: resourceId(),
  run_id: resourceId().optional(),
  agent_type: agentTypeSchema,
  checkpoint_type: checkpointTypeSchema,
  payload: payloadInput,
  proposed_action: proposedActionSchema,
  context: jsonObject()
    .default({})
    .describe('What the agent saw (facts, tool results, documents): frozen in the snapshot'),
  reviewer_strategy: reviewerStrategySchema,
  reviewer_id: userId.optional().describe('Required for named_individual'),
  on_behalf_of: userId.optional().describe('The user whose agent run asked (four_eyes: may not decide)'),
});

export const modificationsSchema = z
  .strictObject({
    arguments: jsonObject()
      .refine((a) => Object.keys(a).length > 0, { message: 'must change at least one argument' })
      .describe('New values for arguments of the proposed action (same names, same JSON kinds)'),
  })
  .meta({ id: 'Modifications' });

export const decideBody = z
  .strictObject({
    decision: decisionSchema,
    notes: z.string().max(4000).optional(),
    modifications: modificationsSchema.optional().describe('Required for `modified`, refused otherwise'),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'modified' && !b.modifications)
      ctx.addIssue({
        code: 'custom',
        path: ['modifications'],
        message: 'is required for a modified decision',
      });
    if (b.decision !== 'modified' && b.modifications)
      ctx.addIssue({
        code: 'custom',
        path: ['modifications'],
        message: 'is only allowed with decision modified',
      });
  });

export const escalateBody = z
  .strictObject({
    timeout_hours: z
      .number()
      .positive()
      .max(8760)
      .optional()
      .describe('Default: the tenant setting, else 24 (spec §8)'),
    reassign_to: userId.optional().describe('Default: the tenant’s escalation reviewer, else not reassigned'),
  })
  .optional();

export const settingsBody = z.strictObject({
  escalation_timeout_hours: z.number().int().min(1).max(8760).nullable(),
  escalation_reviewer_id: userId.nullable(),
});

const modificationsOut = z.object({ arguments: jsonObject() });
const voteSchema = z
  .object({
    reviewer_id: z.string(),
    decision: decisionSchema,
    notes: z.string().nullable(),
    modifications: modificationsOut.nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'ApprovalVote' });

const actionOut = z.object({
  tool_name: z.string(),
  description: z.string().optional(),
  arguments: jsonObject(),
});

const approvalFields = {
  approval_id: z.string(),
  tenant_id: z.string(),
  conversation_id: z.string(),
  run_id: z.string().nullable(),
  agent_type: agentTypeSchema,
  checkpoint_type: checkpointTypeSchema,
  status: statusSchema,
  reviewer_strategy: reviewerStrategySchema,
  reviewer_id: z.string().nullable(),
  requested_by: z.string(),
  on_behalf_of: z.string().nullable(),
  payload: jsonObject(),
  proposed_action: actionOut,
  votes: z.array(voteSchema),
  decision: z
    .object({
      decision: decisionSchema,
      decided_by: z.string(),
      decided_at: z.string(),
      notes: z.string().nullable(),
      modifications: modificationsOut.nullable(),
    })
    .nullable(),
  effective_action: actionOut
    .nullable()
    .describe('The action as approved (modifications applied); null until decided, and for a rejection'),
  escalation_level: z.number().int(),
  escalated_at: z.string().nullable(),
  assigned_at: z
    .string()
    .describe('When the current assignment started (the escalation timeout counts from it)'),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const approvalSchema = z.object(approvalFields).meta({ id: 'Approval' });

export const snapshotSchema = z
  .object({
    conversation_id: z.string(),
    run_id: z.string().nullable(),
    agent_type: agentTypeSchema,
    checkpoint_type: checkpointTypeSchema,
    payload: jsonObject(),
    proposed_action: actionOut,
    context: jsonObject(),
    requested_by: z.string(),
    on_behalf_of: z.string().nullable(),
    captured_at: z.string(),
    digest: z
      .string()
      .describe('SHA-256 of the snapshot’s canonical JSON, recorded in the created audit entry'),
  })
  .meta({
    id: 'ApprovalSnapshot',
    description: 'The frozen state: what the agent saw and intends to do. Immutable.',
  });

export const approvalWithSnapshotSchema = z
  .object({ ...approvalFields, snapshot: snapshotSchema })
  .meta({ id: 'ApprovalWithSnapshot' });

export const failureSchema = z
  .object({ seq: z.number().int(), approval_id: z.string().nullable(), reason: z.string() })
  .meta({ id: 'AuditFailure' });

export const auditSchema = z
  .object({
    approval_id: z.string(),
    verified: z.boolean(),
    first_failure: failureSchema.nullable(),
    chain: z.object({ tenant_id: z.string(), entries: z.number().int(), head_seq: z.number().int() }),
    entries: z.array(
      z.object({
        seq: z.number().int(),
        approval_id: z.string().nullable(),
        action: z.string(),
        actor_id: z.string(),
        at: z.string(),
        data: jsonObject(),
        key_id: z.string(),
        prev_mac: z.string(),
        mac: z.string(),
      }),
    ),
  })
  .meta({ id: 'ApprovalAudit' });

/** The events a service may append to a granted approval's audit trail (`POST /approvals/{id}/audit`):
 * what happened to the filing the approval produced. */
export const AUDIT_EVENTS = ['filing_status_changed'] as const;

const filingStatus = z.string().regex(/^[a-z][a-z_]{0,39}$/, { message: 'must be a status name' });

export const auditEventBody = z
  .discriminatedUnion('event', [
    z.strictObject({
      event: z.literal('filing_status_changed'),
      data: z.strictObject({
        filing_id: resourceId(),
        form_type: z.string().min(1).max(20).optional(),
        from: filingStatus.nullable().describe('null when the filing was produced'),
        to: filingStatus,
        changed_by: userId.optional().describe('The user who asked for the change (the caller is a service)'),
        reason: z.string().max(2000).optional(),
      }),
    }),
  ])
  .meta({
    id: 'ApprovalAuditEvent',
    description:
      'An event about what a granted approval produced, appended to the tenant’s HMAC chain as an entry of that approval.',
  });

export const auditEntrySchema = auditSchema.shape.entries.element.meta({ id: 'ApprovalAuditEntry' });

export const escalationSchema = z
  .object({
    tenant_id: z.string(),
    timeout_hours: z.number(),
    reassign_to: z.string().nullable(),
    escalated: z.array(
      z.object({
        approval_id: z.string(),
        from_reviewer_id: z.string().nullable(),
        to_reviewer_id: z.string().nullable(),
        escalation_level: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'EscalationResult' });

export const settingsSchema = z
  .object({
    tenant_id: z.string(),
    escalation_timeout_hours: z.number().int().nullable(),
    escalation_reviewer_id: z.string().nullable(),
    updated_by: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: 'ApprovalSettings' });

export const outboxEventSchema = z
  .object({
    seq: z.number().int(),
    approval_id: z.string(),
    event_type: z.string(),
    data: jsonObject(),
    created_at: z.string(),
  })
  .meta({ id: 'ApprovalOutboxEvent' });

export const outboxPageSchema = z
  .object({
    data: z.array(outboxEventSchema),
    next_after: z
      .number()
      .int()
      .describe('Pass as `after` for the next page (the last seq returned, or `after`)'),
    has_more: z.boolean(),
  })
  .meta({ id: 'ApprovalOutboxPage' });

export const listFilters = {
  status: statusSchema.optional(),
  agent_type: agentTypeSchema.optional(),
  checkpoint_type: checkpointTypeSchema.optional(),
  reviewer_id: userId.optional(),
  reviewer_strategy: reviewerStrategySchema.optional(),
  conversation_id: resourceId().optional(),
  requested_by: userId.optional(),
  from: isoDateTime().optional().describe('created_at ≥ from'),
  to: isoDateTime().optional().describe('created_at ≤ to'),
};
