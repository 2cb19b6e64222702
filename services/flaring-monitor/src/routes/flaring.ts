import { type ServiceApi } from '@aegis/common';
import { assess } from '../flaring/assess';
import { burnRateOf, emissions, forecasts } from '../flaring/calculations';
import { ingestReadings } from '../flaring/ingest';
import { todayOf } from '../domain/days';
import { validateR32 } from '../domain/r32-validation';
import { graphCaller, WRITE_ROLES, type RouteDeps } from './context';
import {
  assessInput,
  assessmentSchema,
  burnRateQuery,
  burnRateSchema,
  emissionsInput,
  emissionsSchema,
  forecastInput,
  forecastListSchema,
  ingestInput,
  ingestResultSchema,
  r32Input,
  r32ResultSchema,
} from './schemas';

/** POST /flaring/assess, /validate, /emissions, /forecast, /ingest and GET /flaring/burn-rate. */
export function flaringRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['flaring'] });

  routes.route({
    method: 'post',
    path: '/flaring/assess',
    summary: 'Assess flaring against Rule 32 authorisations',
    description:
      'Cumulative volume and days used against each authorisation (authorised volume = max mcf/day × authorised days, at most 180), with alerts: ≥ 80 % of the volume warning, ≥ 100 % critical; day 150 warning; past the expiry critical; flaring with no valid authorisation critical; a well spudded after 2021-11-15 (NSPS OOOOb) info on each event. Scope: `well_id`, `authorization_id`, or the whole tenant.',
    roles: 'any',
    body: assessInput,
    responses: { 200: assessmentSchema },
    handler: async (ctx, { body, tenant }) => assess(deps, graphCaller(ctx, tenant), tenant, body ?? {}),
  });

  routes.route({
    method: 'post',
    path: '/flaring/validate',
    summary: 'Form R-32 pre-filing validation',
    description:
      'Every issue of the application with its field path and severity (error or warning); `valid` when there is no error.',
    roles: 'any',
    body: r32Input,
    responses: { 200: r32ResultSchema },
    handler: (_ctx, { body }) => {
      const filingDate = body.filing_date ?? todayOf(deps.now());
      const issues = validateR32(body, filingDate);
      const errors = issues.filter((i) => i.severity === 'error').length;
      return {
        valid: errors === 0,
        filing_date: filingDate,
        errors,
        warnings: issues.length - errors,
        issues,
      };
    },
  });

  routes.route({
    method: 'post',
    path: '/flaring/emissions',
    summary: 'CO2, CH4, N2O and CO2e of flared or vented gas',
    description:
      'Metric tons from `volume_mcf` + `disposition`, or from a well’s flare events between `from` and `to`. Combustion efficiency 98 % unless given; GWPs IPCC AR5 (CH4 28, N2O 265); 379.3 scf per lb-mole. Without `gas_composition`, the default composition is used and stated in the result.',
    roles: 'any',
    body: emissionsInput,
    responses: { 200: emissionsSchema },
    handler: async (ctx, { body, tenant }) => emissions(deps, graphCaller(ctx, tenant), tenant, body),
  });

  routes.route({
    method: 'get',
    path: '/flaring/burn-rate',
    summary: 'Average daily flared volume over a trailing window',
    description:
      'Of a well, an authorisation or the whole tenant; `window_days` defaults to 7, ending with `as_of` (today).',
    roles: 'any',
    query: burnRateQuery,
    responses: { 200: burnRateSchema },
    handler: async (ctx, { query, tenant }) => burnRateOf(deps, graphCaller(ctx, tenant), tenant, query),
  });

  routes.route({
    method: 'post',
    path: '/flaring/forecast',
    summary: 'When the authorised volume runs out at the current burn rate',
    description:
      'For an authorisation, or every authorisation of a well: remaining volume ÷ burn rate gives the exhaustion date, compared with the expiry date and the 180-day limit.',
    roles: 'any',
    body: forecastInput,
    responses: { 200: forecastListSchema },
    handler: async (ctx, { body, tenant }) => forecasts(deps, graphCaller(ctx, tenant), tenant, body),
  });

  routes.route({
    method: 'post',
    path: '/flaring/ingest',
    summary: 'Turn a batch of flare readings into flare events',
    description:
      'Idempotent per `reading_id`: a reading already stored with the same content is `unchanged`; a reading that differs from the stored one, or names an unknown well, is `rejected` with the field; the others are `created`. A batch that fails schema validation stores nothing (422).',
    roles: WRITE_ROLES,
    body: ingestInput,
    responses: { 200: ingestResultSchema },
    handler: async (ctx, { body, tenant, identity }) =>
      ingestReadings(deps, graphCaller(ctx, tenant), tenant, identity.userId, body.readings),
  });
}
