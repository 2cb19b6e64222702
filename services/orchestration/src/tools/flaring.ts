import { isoDate, isoDateTime, resourceId } from '@aegis/common';
import { z } from 'zod';
import type { Assessment, BurnRate, Emissions, Forecasts, R32Validation } from './answers';
import { asOf, defined, defineTool, flaring, queryString, wellId } from './define';

/** The flaring tools: Rule 32 (16 TAC §3.32) figures as the flaring monitor computes them. The tools
 * never recompute a figure: what the monitor answers is what the agent reports. */

const authorizationId = resourceId().describe('A FlaringAuthorization id (e.g. R32-0041235-1).');
const windowDays = z
  .number()
  .int()
  .min(1)
  .max(180)
  .optional()
  .describe('Trailing window of the burn rate in days (default 7).');

const scope = {
  well_id: wellId.optional(),
  authorization_id: authorizationId.optional(),
  as_of: asOf,
};

export const flaringAssessTool = defineTool({
  name: 'flaring_assess',
  description:
    'Rule 32 (16 TAC §3.32) assessment: cumulative flared volume and days used against each flaring authorisation of a well (or one authorisation, or the whole tenant), with alerts (≥ 80 % of the volume warning, ≥ 100 % critical, day 150 of 180 warning, expired or unauthorised flaring critical).',
  input: z.strictObject(scope),
  run: (args, ctx) => flaring<Assessment>(ctx, 'POST', '/flaring/assess', defined(args)),
});

export const flaringBurnRateTool = defineTool({
  name: 'flaring_burn_rate',
  description:
    'Average daily flared volume (mcf/day) over a trailing window, of a well, an authorisation or the tenant.',
  input: z.strictObject({ ...scope, window_days: windowDays }),
  run: (args, ctx) => flaring<BurnRate>(ctx, 'GET', `/flaring/burn-rate${queryString(args)}`),
});

export const flaringForecastTool = defineTool({
  name: 'flaring_forecast',
  description:
    'When each authorisation of a well (or one authorisation) runs out at the current burn rate: remaining volume ÷ burn rate, compared with the expiry date and the 180-day limit of 16 TAC §3.32.',
  input: z.strictObject({ ...scope, window_days: windowDays }),
  run: (args, ctx) => flaring<Forecasts>(ctx, 'POST', '/flaring/forecast', defined(args)),
});

const composition = z
  .record(z.string(), z.number().min(0).max(1))
  .describe('Gas analysis: mole fractions 0–1 by component (methane, ethane, co2, n2, …).');

export const flaringEmissionsTool = defineTool({
  name: 'flaring_emissions',
  description:
    'CO2, CH4, N2O and CO2e (metric tons; GWP IPCC AR5) of flared or vented gas: from a volume and disposition (10 flared, 11 vented), or from a well’s flare events between two times. Without a gas analysis the default composition is used and stated.',
  input: z.strictObject({
    well_id: wellId.optional(),
    volume_mcf: z.number().min(0).max(1e9).optional(),
    disposition: z.enum(['10', '11']).optional(),
    from: isoDateTime().optional(),
    to: isoDateTime().optional(),
    gas_composition: composition.optional(),
    combustion_efficiency: z.number().min(0).max(1).optional(),
  }),
  run: (args, ctx) => flaring<Emissions>(ctx, 'POST', '/flaring/emissions', defined(args)),
});

/** The Form R-32 application fields the monitor validates (its R32Application). */
export const r32Application = z.strictObject({
  operator_number: z.string().max(100).optional(),
  operator_name: z.string().max(200).optional(),
  lease_number: z.string().max(200).optional(),
  district: z.string().max(20).optional(),
  well_ids: z.array(z.string().max(100)).max(500).optional(),
  requested_volume_mcf_per_day: z.number().optional(),
  start_date: isoDate().optional(),
  end_date: isoDate().optional(),
  renewal: z.boolean().optional(),
  justification: z.string().max(10_000).optional(),
  reason: z.string().max(10_000).optional(),
  gathering_plan: z
    .strictObject({ description: z.string().max(10_000).optional(), connection_date: isoDate().optional() })
    .optional(),
  emissions_estimate_requested: z.boolean().optional(),
  gas_analysis: composition.optional(),
  filing_date: isoDate().optional(),
});
export type R32Application = z.output<typeof r32Application>;

export const r32ValidateTool = defineTool({
  name: 'r32_validate',
  description:
    'Form R-32 pre-filing validation (16 TAC §3.32): identifiers present and well-formed, volume and duration (≤ 180 days) within limits, a reason and a gathering-line plan (flagged when none or more than 60 days away), a gas analysis when an emissions estimate is requested. Lists every issue.',
  input: r32Application,
  run: (args, ctx) => flaring<R32Validation>(ctx, 'POST', '/flaring/validate', defined(args)),
});
