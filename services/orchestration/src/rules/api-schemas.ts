import { enumFilter, resourceId } from '@aegis/common';
import { ruleChangesAnswer } from '@aegis/compliance-monitor';
import { z } from 'zod';
import { GRAPH_LABELS } from './impact';
import { PARAMETER_SCHEMAS, RULE_KINDS, type RuleKind } from './kinds';
import { REQUESTABLE_STATUSES, RULE_STATUSES, VERSION_STATUSES } from './lifecycle';

/** The request and response shapes of the rules routes (validation and OpenAPI come from them). */

const time = z.string().meta({ format: 'date-time' });
const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const ruleIdParams = z.object({
  id: z
    .string()
    .max(100)
    .regex(/^rul-[a-z0-9-]{1,96}$/, { message: 'must be a rule id (rul-…)' }),
});

/** The knowledge-graph entity a rule is about (where the compliance monitor's rule-change impact
 * starts: a Regulation, a Field's field rules, a Formation). */
export const graphEntitySchema = z
  .strictObject({ label: z.enum(GRAPH_LABELS), id: resourceId() })
  .meta({ id: 'RuleGraphEntity' });

export const ruleKindSchema = z.enum(RULE_KINDS).meta({ id: 'RuleKind' });

export const ruleSchema = z
  .object({
    rule_id: z.string(),
    rule_key: z.string(),
    kind: ruleKindSchema,
    title: z.string(),
    citation: z.string(),
    agency: z.string(),
    description: z.string(),
    graph_entity: graphEntitySchema.nullable(),
    source: z.enum(['bundled', 'tenant']),
    status: z.enum(RULE_STATUSES),
    active_version: z.number().int().nullable(),
    latest_version: z.number().int(),
    created_by: z.string(),
    created_at: time,
    updated_at: time,
  })
  .meta({ id: 'Rule' });

export const ruleVersionSchema = z
  .object({
    rule_id: z.string(),
    version: z.number().int(),
    status: z.enum(VERSION_STATUSES),
    parameters: z.record(z.string(), z.unknown()),
    note: z.string().nullable(),
    effective_from: z.string().nullable(),
    created_by: z.string(),
    created_at: time,
    activated_at: time.nullable(),
    activated_by: z.string().nullable(),
    superseded_at: time.nullable(),
    retired_at: time.nullable(),
    retired_by: z.string().nullable(),
    updated_at: time,
  })
  .meta({ id: 'RuleVersion' });

export const ruleDetailSchema = ruleSchema
  .extend({
    current: ruleVersionSchema.nullable(),
    versions: z.array(
      z.object({
        version: z.number().int(),
        status: z.enum(VERSION_STATUSES),
        note: z.string().nullable(),
        effective_from: z.string().nullable(),
        created_at: time,
        activated_at: time.nullable(),
      }),
    ),
  })
  .meta({ id: 'RuleDetail' });

/** A transition's answer: the rule, and for an activation the wells the change affects (the compliance
 * monitor's `RuleChangeImpact`) or why they could not be listed (the transition is committed). */
export const ruleTransitionAnswer = ruleDetailSchema
  .extend({
    impact: ruleChangesAnswer
      .optional()
      .describe('Activation of a rule linked to a graph entity: the wells the change affects.'),
    impact_error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .describe(
        'The compliance monitor could not list the affected wells (e.g. `compliance_monitor_unavailable`); the transition is committed regardless.',
      ),
  })
  .meta({ id: 'RuleTransitionResult' });

const versionFields = {
  note: z.string().min(1).max(2_000).optional(),
  effective_from: isoDate.optional(),
};

const ruleFields = {
  rule_key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,62}$/, { message: 'must be 2-63 lowercase letters, digits or _' }),
  title: z.string().trim().min(1).max(200),
  citation: z.string().trim().min(1).max(200),
  agency: z.string().trim().min(1).max(50).optional(),
  description: z.string().max(4_000).optional(),
  graph_entity: graphEntitySchema.optional(),
  ...versionFields,
};

const createVariant = <K extends RuleKind>(kind: K) =>
  z.strictObject({ ...ruleFields, kind: z.literal(kind), parameters: PARAMETER_SCHEMAS[kind] });

/** `POST /rules`: the rule and its version 1, whose parameters the kind validates. */
export const createRuleBody = z
  .discriminatedUnion('kind', [
    createVariant('rule_32'),
    createVariant('rule_37'),
    createVariant('form_pr'),
    createVariant('nsps_oooob'),
    createVariant('generic'),
  ])
  .meta({ id: 'NewRule' });

/** `POST /rules/{id}/versions`: the whole parameter set (validated by the rule's kind). */
export const newVersionBody = z
  .strictObject({ parameters: z.record(z.string(), z.unknown()), ...versionFields })
  .meta({ id: 'NewRuleVersion' });

export const transitionBody = z
  .strictObject({
    to: z.enum(REQUESTABLE_STATUSES),
    version: z.number().int().min(1).optional(),
  })
  .meta({ id: 'RuleTransition' });

export const ruleListFilters = {
  status: enumFilter(RULE_STATUSES).optional(),
  kind: enumFilter(RULE_KINDS).optional(),
  source: enumFilter(['bundled', 'tenant']).optional(),
  rule_key: z.string().min(1).max(63).optional(),
  citation: z.string().min(1).max(200).optional(),
  agency: z.string().min(1).max(50).optional(),
};

export const versionListFilters = {
  status: enumFilter(VERSION_STATUSES).optional(),
};
