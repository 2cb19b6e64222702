import { assessInput, burnRateQuery, emissionsInput, forecastInput, r32Input } from '@aegis/flaring-monitor';
import type { BurnRate } from './answers';
import { defineTool, flaring, postTool, queryString } from './define';

/** The flaring tools: Rule 32 (16 TAC §3.32) figures as the flaring monitor computes them. Their
 * inputs are the monitor's own request schemas, and the tools never recompute a figure: what the
 * monitor answers is what the agent reports. */

export const flaringAssessTool = postTool('flaring-monitor', '/flaring/assess', {
  name: 'flaring_assess',
  description:
    'Rule 32 (16 TAC §3.32) assessment: cumulative flared volume and days used against each flaring authorisation of a well (`well_id`), one authorisation (`authorization_id`) or the whole tenant (neither), with alerts (≥ 80 % of the volume warning, ≥ 100 % critical, day 150 of 180 warning, expired or unauthorised flaring critical).',
  input: assessInput.unwrap(),
});

export const flaringBurnRateTool = defineTool({
  name: 'flaring_burn_rate',
  description:
    'Average daily flared volume (mcf/day) over a trailing window (default 7 days), of a well, an authorisation or the tenant.',
  input: burnRateQuery.strict(),
  run: (args, ctx) => flaring<BurnRate>(ctx, 'GET', `/flaring/burn-rate${queryString(args)}`),
});

export const flaringForecastTool = postTool('flaring-monitor', '/flaring/forecast', {
  name: 'flaring_forecast',
  description:
    'When each authorisation of a well (or one authorisation) runs out at the current burn rate: remaining volume ÷ burn rate, compared with the expiry date and the 180-day limit of 16 TAC §3.32.',
  input: forecastInput,
});

export const flaringEmissionsTool = postTool('flaring-monitor', '/flaring/emissions', {
  name: 'flaring_emissions',
  description:
    'CO2, CH4, N2O and CO2e (metric tons; GWP IPCC AR5) of flared or vented gas: from `volume_mcf` and `disposition` (10 flared, 11 vented), or from a well’s flare events between `from` and `to`. Without a gas analysis the default composition is used and stated.',
  input: emissionsInput,
});

export const r32ValidateTool = postTool('flaring-monitor', '/flaring/validate', {
  name: 'r32_validate',
  description:
    'Form R-32 pre-filing validation (16 TAC §3.32): identifiers present and well-formed, volume and duration (≤ 180 days) within limits, a reason and a gathering-line plan (flagged when none or more than 60 days away), a gas analysis when an emissions estimate is requested. Lists every issue.',
  input: r32Input,
});
