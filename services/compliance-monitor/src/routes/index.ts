import type { Role, ServiceApi } from '@aegis/common';
import { graphCaller, type KnowledgeGraphClient } from '@aegis/graph-client';
import { dashboard, deadlineReport, portfolioFor, productionReport, riskReport } from '../reports';
import { ruleChangeImpact } from '../rule-changes';
import {
  dashboardAnswer,
  dashboardParams,
  dashboardQuery,
  deadlinesAnswer,
  deadlinesBody,
  OPENAPI_INFO,
  productionAnswer,
  productionBody,
  riskAnswer,
  riskBody,
  ruleChangesAnswer,
  ruleChangesBody,
} from './schemas';

export interface RouteDeps {
  kg: KnowledgeGraphClient;
  now: () => number;
}

/** Every role may read: the calculations change nothing. */
const READ: Role[] = ['viewer'];

/** The compliance API (spec §8 compliance-monitor) and its OpenAPI document at /openapi.json. */
export function complianceRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['compliance'] });
  const today = () => new Date(deps.now()).toISOString().slice(0, 10);

  routes.route({
    method: 'post',
    path: '/compliance/deadlines',
    summary: 'Deadlines (filings, Form PR, permit and Rule 32 authorisation expiries) as alerts by level',
    description: 'critical: overdue or due within 7 days; warning: within 30 days; info: later (domain.md).',
    roles: READ,
    body: deadlinesBody,
    responses: { 200: deadlinesAnswer },
    handler: async (ctx, { body, tenant }) => {
      const input = { ...body, as_of: body.as_of ?? today() };
      return deadlineReport(await portfolioFor(deps.kg, graphCaller(ctx, tenant), input), body.window_days);
    },
  });

  routes.route({
    method: 'post',
    path: '/compliance/production',
    summary:
      'Production anomalies: allowable exceeded, gas-oil ratio over the limit, zero production, unauthorised flaring',
    roles: READ,
    body: productionBody,
    responses: { 200: productionAnswer },
    handler: async (ctx, { body, tenant }) => {
      const input = { ...body, as_of: body.as_of ?? today() };
      return productionReport(await portfolioFor(deps.kg, graphCaller(ctx, tenant), input), body.months);
    },
  });

  routes.route({
    method: 'post',
    path: '/compliance/rule-changes',
    summary: 'The wells a changed regulation, field rule or formation rule affects',
    roles: READ,
    body: ruleChangesBody,
    responses: { 200: ruleChangesAnswer },
    handler: async (ctx, { body, tenant }) => ruleChangeImpact(deps.kg, graphCaller(ctx, tenant), body),
  });

  routes.route({
    method: 'post',
    path: '/compliance/risk-score',
    summary: 'A 0–100 risk score per well, ranked, with each factor’s contribution',
    roles: READ,
    body: riskBody,
    responses: { 200: riskAnswer },
    handler: async (ctx, { body, tenant }) => {
      const input = { ...body, as_of: body.as_of ?? today() };
      return riskReport(await portfolioFor(deps.kg, graphCaller(ctx, tenant), input), body.months);
    },
  });

  routes.route({
    method: 'get',
    path: '/compliance/dashboard/{operator_id}',
    summary: 'Deadlines, production anomalies, governing rules and risk for one operator’s wells',
    roles: READ,
    params: dashboardParams,
    query: dashboardQuery,
    responses: { 200: dashboardAnswer },
    errors: [404],
    handler: async (ctx, { params, query, tenant }) =>
      dashboard(deps.kg, graphCaller(ctx, tenant), params.operator_id, {
        ...query,
        as_of: query.as_of ?? today(),
      }),
  });

  api.serveDocument({ ...OPENAPI_INFO, service: 'compliance-monitor' }, ['/openapi.json']);
}
