import { isoDate, ValidationError } from '@aegis/common';
import { z } from 'zod';
import {
  addDays,
  assembleR32,
  assembleW1,
  R32_MAX_DAYS,
  type R32Draft,
  type W1Draft,
} from '../domain/filing';
import type { Assessment, BurnRate, R32Validation } from './answers';
import { asOf, defined, defineTool, flaring, wellId } from './define';
import { assembleContext } from './graph';
import { activeRuleOf, type RuleVersionCited } from './rules';
import { spacingInput, spacingOf, type SpacingReport } from './spacing';
import type { ToolContext } from './types';

/** Filing draft assembly (non-mutating: reads, assembles, validates; files nothing). */

const todayOf = (ctx: ToolContext) => new Date(ctx.now()).toISOString().slice(0, 10);
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

export const draftInput = z.strictObject({
  form_type: z
    .enum(['W-1', 'R-32'])
    .describe('W-1: Rule 37 exception (16 TAC §3.37); R-32: flaring exception (16 TAC §3.32).'),
  well_id: wellId,
  as_of: asOf,
  good_cause: z.string().max(10_000).optional().describe('W-1: the operator’s own good-cause reason.'),
  lease_line_distance_ft: z.number().min(0).optional().describe('W-1: a surveyed lease-line distance.'),
  requested_volume_mcf_per_day: z.number().positive().max(1e7).optional().describe('R-32: volume asked for.'),
  duration_days: z
    .number()
    .int()
    .min(1)
    .max(3_650)
    .optional()
    .describe(
      `R-32: days, at most the active Rule 32 version’s max_exception_days (bundled: ${R32_MAX_DAYS}); default that maximum.`,
    ),
  start_date: isoDate()
    .optional()
    .describe('R-32: first day (default the day after the current authorisation).'),
  reason: z.string().max(10_000).optional().describe('R-32: why the gas is flared.'),
  justification: z.string().max(10_000).optional().describe('R-32: justification of a renewal.'),
});
type DraftArgs = z.output<typeof draftInput>;

export interface W1DraftResult {
  draft: W1Draft;
  spacing: SpacingReport;
}

export interface R32DraftResult {
  draft: R32Draft;
  validation: R32Validation;
  /** The `rule_32` version whose day limit the draft applied (the tenant's active one). */
  rule_version: RuleVersionCited;
}

async function w1Draft(args: DraftArgs, ctx: ToolContext): Promise<W1DraftResult> {
  const spacing = await spacingOf(
    spacingInput.parse(
      defined({ well_id: args.well_id, lease_line_distance_ft: args.lease_line_distance_ft }),
    ),
    ctx,
  );
  const draft = assembleW1({
    operator: {
      id: spacing.operator?.operator_id ?? null,
      name: spacing.operator?.name ?? null,
      number: spacing.operator?.operator_number ?? null,
    },
    lease: {
      id: spacing.lease?.lease_id ?? null,
      name: spacing.lease?.name ?? null,
      number: spacing.lease?.lease_number ?? null,
    },
    field: {
      id: spacing.field?.field_id ?? null,
      name: spacing.field?.name ?? null,
      number: spacing.field?.field_number ?? null,
    },
    well: { api_number: spacing.well?.well_id ?? args.well_id, name: spacing.well?.name ?? null },
    location: spacing.location,
    minimums: spacing.minimums,
    violations: spacing.violations,
    offsetOperators: spacing.offset_operators,
    goodCause: args.good_cause,
  });
  return { draft, spacing };
}

async function r32Draft(args: DraftArgs, ctx: ToolContext): Promise<R32DraftResult> {
  const day = args.as_of ?? todayOf(ctx);
  // 16 TAC §3.32: an exception of at most max_exception_days (bundled 180) at a time, as the tenant's
  // active rule_32 version says.
  const { parameters: rule32, cited } = await activeRuleOf(ctx, 'rule_32');
  const maxDays = rule32.max_exception_days;
  if (args.duration_days !== undefined && args.duration_days > maxDays)
    throw ValidationError.single(
      ['duration_days'],
      `must be at most ${maxDays} days (${cited.citation}${cited.version === null ? '' : ` version ${cited.version}`})`,
    );
  const context = await assembleContext(ctx, args.well_id, { as_of: day });
  const assessment = await flaring<Assessment>(ctx, 'POST', '/flaring/assess', {
    well_id: args.well_id,
    as_of: day,
  });
  const burn = await flaring<BurnRate>(ctx, 'GET', `/flaring/burn-rate?well_id=${args.well_id}&as_of=${day}`);
  // The authorisation a new application follows: the one of the well expiring last.
  const current = [...assessment.authorizations].sort((a, b) => (a.expiry_date < b.expiry_date ? 1 : -1))[0];
  const entity = context.authorizations.find((a) => a.entity_id === current?.authorization_id);
  const draft = assembleR32({
    operator: {
      id: context.operator?.entity_id ?? null,
      name: text(context.operator?.properties.name),
      number:
        text(context.operator?.properties.operator_number) ?? text(context.well.properties.operator_number),
    },
    lease: {
      id: context.lease?.entity_id ?? null,
      name: text(context.lease?.properties.name),
      number: text(context.lease?.properties.lease_number) ?? text(context.well.properties.lease_number),
      district: text(context.lease?.properties.district) ?? text(context.well.properties.district),
    },
    wellIds: [context.well.entity_id],
    requestedMcfPerDay: args.requested_volume_mcf_per_day ?? current?.max_volume_mcf_per_day ?? null,
    startDate:
      args.start_date ?? (current && current.expiry_date >= day ? addDays(current.expiry_date, 1) : day),
    durationDays: args.duration_days ?? maxDays,
    maxDays,
    renewal: current !== undefined,
    reason: args.reason ?? text(entity?.properties.reason),
    justification: args.justification ?? null,
    gatheringConnectionDate: text(entity?.properties.gathering_connection_date),
    current: current && {
      authorization_id: current.authorization_id,
      expiry_date: current.expiry_date,
      volume_pct: current.volume_pct,
      cumulative_volume_mcf: current.cumulative_volume_mcf,
      authorised_volume_mcf: current.authorised_volume_mcf,
    },
    burnRateMcfPerDay: burn.burn_rate_mcf_per_day,
  });
  const validation = await flaring<R32Validation>(ctx, 'POST', '/flaring/validate', {
    ...defined(draft.application),
    filing_date: day,
  });
  return { draft, validation, rule_version: cited };
}

export const assembleFilingDraftTool = defineTool({
  name: 'assemble_filing_draft',
  description:
    'Assembles a filing draft from the platform’s data, without filing it: a Form W-1 Rule 37 exception (spacing violations, offset operators to notify, a good-cause narrative) or a Form R-32 flaring exception (at most the active Rule 32 version’s days, bundled 180, volume, reason, gathering plan; checked by the R-32 pre-filing validation). Lists what is still missing.',
  input: draftInput,
  run: (args, ctx): Promise<W1DraftResult | R32DraftResult> =>
    args.form_type === 'W-1' ? w1Draft(args, ctx) : r32Draft(args, ctx),
});
