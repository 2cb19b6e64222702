import { alertDraftSchema, isoDate, parseApiNumber, resourceId } from '@aegis/common';
import { z } from 'zod';
import { RISK_WEIGHTS } from '../domain/risk';

export const OPENAPI_INFO = {
  title: 'AEGIS compliance monitor',
  version: '1.0.0',
  description:
    'Deadlines, production anomalies, rule-change impact and risk scores over the knowledge graph, as alerts that name the rule and the data that produced them.',
} as const;

/** A 14-digit API number (with or without dashes), normalised: the Well entity id of the graph. */
export const apiNumber = z.string().transform((value, ctx) => {
  const parsed = parseApiNumber(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: `not a valid API number: ${parsed.reason}` });
  return z.NEVER;
});

/** Which wells: `well_ids` or `operator_id` (not both); neither means every well of the tenant. */
export const scopeFields = {
  as_of: isoDate().optional().describe('The day to evaluate on (default today, UTC).'),
  operator_id: resourceId().optional().describe('Only the wells OPERATED_BY this operator.'),
  well_ids: z.array(apiNumber).min(1).max(1000).optional().describe('Only these wells (API numbers).'),
};

export const oneScope = <T extends { operator_id?: string; well_ids?: string[] }>(
  b: T,
  ctx: z.RefinementCtx,
) => {
  if (b.operator_id !== undefined && b.well_ids !== undefined)
    ctx.addIssue({ code: 'custom', path: ['well_ids'], message: 'give operator_id or well_ids, not both' });
};

export const monthsField = z
  .number()
  .int()
  .min(1)
  .max(60)
  .default(12)
  .describe('Months of production to look at, ending with the month of as_of.');
export const windowField = z
  .number()
  .int()
  .min(0)
  .max(3650)
  .default(90)
  .describe('Report deadlines due within this many days (overdue ones always).');

export const deadlinesBody = z
  .strictObject({ ...scopeFields, window_days: windowField })
  .superRefine(oneScope);
export const productionBody = z.strictObject({ ...scopeFields, months: monthsField }).superRefine(oneScope);
export const riskBody = z.strictObject({ ...scopeFields, months: monthsField }).superRefine(oneScope);
export const ruleChangesBody = z
  .strictObject({
    regulation_id: resourceId().optional().describe('A Regulation entity that changed.'),
    field_id: resourceId().optional().describe('A Field whose field rules changed.'),
    formation_id: resourceId().optional().describe('A Formation whose rules changed.'),
    operator_id: resourceId().optional().describe('Only the wells OPERATED_BY this operator.'),
    description: z.string().max(2000).optional(),
    effective_date: isoDate().optional(),
  })
  .superRefine((b, ctx) => {
    const given = [b.regulation_id, b.field_id, b.formation_id].filter((v) => v !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['regulation_id'],
        message: 'give exactly one of regulation_id, field_id, formation_id',
      });
  });

export const dashboardParams = z.object({ operator_id: resourceId() });
export const dashboardQuery = z.object({
  as_of: isoDate().optional(),
  window_days: z.coerce.number().int().min(0).max(3650).default(90),
  months: z.coerce.number().int().min(1).max(60).default(12),
});

const counts = z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() });

export const alertSchema = alertDraftSchema.meta({ id: 'ComplianceAlert' });

const alertReport = { counts, total: z.number().int(), alerts: z.array(alertSchema) };

export const deadlinesAnswer = z
  .object({ as_of: z.string(), window_days: z.number().int(), ...alertReport })
  .meta({ id: 'DeadlineReport' });

export const productionAnswer = z
  .object({
    as_of: z.string(),
    period_from: z.string(),
    period_to: z.string(),
    wells_checked: z.number().int(),
    ...alertReport,
  })
  .meta({ id: 'ProductionReport' });

const factor = z.object({
  factor: z.enum(Object.keys(RISK_WEIGHTS) as [keyof typeof RISK_WEIGHTS]),
  points: z.number(),
  max: z.number(),
  detail: z.record(z.string(), z.unknown()),
});
export const wellRiskSchema = z
  .object({
    well_id: z.string(),
    name: z.string().nullable(),
    score: z.number(),
    rank: z.number().int(),
    factors: z.array(factor),
  })
  .meta({ id: 'WellRisk' });

export const riskAnswer = z
  .object({
    as_of: z.string(),
    period_from: z.string(),
    period_to: z.string(),
    weights: z.record(z.string(), z.number()),
    total: z.number().int(),
    wells: z.array(wellRiskSchema),
  })
  .meta({ id: 'RiskReport' });

const affectedWell = z.object({
  well_id: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  via: z.array(z.string()),
});
export const ruleChangesAnswer = z
  .object({
    changed: z.object({
      label: z.string(),
      id: z.string(),
      name: z.string().nullable(),
      citation: z.string().nullable(),
    }),
    effective_date: z.string().nullable(),
    description: z.string().nullable(),
    affected_wells: z.array(affectedWell),
    ...alertReport,
  })
  .meta({ id: 'RuleChangeImpact' });

export const dashboardAnswer = z
  .object({
    operator: z.object({ id: z.string(), name: z.string().nullable() }),
    as_of: z.string(),
    wells: z.number().int(),
    counts,
    deadlines: deadlinesAnswer,
    production: productionAnswer,
    rule_changes: z.object({
      regulations: z.array(
        z.object({
          regulation_id: z.string(),
          name: z.string().nullable(),
          citation: z.string().nullable(),
          wells: z.number().int(),
        }),
      ),
    }),
    risk: riskAnswer,
  })
  .meta({ id: 'ComplianceDashboard' });
