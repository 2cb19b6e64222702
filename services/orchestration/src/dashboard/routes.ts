import { listEnvelope, toListParams, type Role, type ServiceApi } from '@aegis/common';
import { graphCaller } from '@aegis/graph-client';
import { sortBy, severity, urgency } from './domain/sort';
import { DOMAINS } from './domain/types';
import { deadlinesAsOf, entityDetail, matrix, summary, trend, wellIdOf, type DashboardDeps } from './figures';
import {
  deadlineList,
  deadlinesAnswer,
  deadlinesQuery,
  entityAnswer,
  entityParams,
  entityQuery,
  matrixAnswer,
  matrixList,
  matrixQuery,
  summaryAnswer,
  summaryQuery,
  trendAnswer,
  trendQuery,
} from './schemas';

export interface DashboardRouteDeps extends DashboardDeps {
  now: () => number;
}

/** Every role may read the dashboard: it changes nothing. */
const READ: Role[] = ['viewer'];

/** The orchestration's compliance dashboard (spec §8 orchestration "Compliance dashboard"). */
export function dashboardRoutes(api: ServiceApi, deps: DashboardRouteDeps): void {
  const routes = api.group({ tags: ['compliance dashboard'] });
  const today = () => new Date(deps.now()).toISOString().slice(0, 10);
  const scopeOf = (q: { as_of?: string; operator_id?: string }) => ({
    as_of: q.as_of ?? today(),
    ...(q.operator_id !== undefined ? { operator_id: q.operator_id } : {}),
  });

  routes.route({
    method: 'get',
    path: '/compliance/summary',
    summary: 'Cards: overdue, due within 7 days, due within 30 days, anomalies — count, change, subtext',
    description:
      'Deadline cards are the compliance monitor’s deadline alerts on as_of by its codes (overdue; 0–7 days: critical; 8–30 days: warning); anomalies are its production alerts of the months ending in the period. The previous period has the same length and ends where this one starts; delta = count − previous.',
    roles: READ,
    query: summaryQuery,
    responses: { 200: summaryAnswer },
    handler: async (ctx, { query, tenant }) =>
      summary(deps, graphCaller(ctx, tenant), scopeOf(query), query.period_days),
  });

  routes.route({
    method: 'get',
    path: '/compliance/matrix',
    summary: 'One row per well, one cell per domain (rule_37, rule_32, form_pr, flaring)',
    description:
      'Cell status, most urgent first: overdue (an open deadline past due), in_review (a filing or checklist in review), action_needed (a deadline within 30 days or a critical/warning anomaly), compliant, not_applicable.',
    roles: READ,
    query: matrixQuery,
    responses: { 200: matrixAnswer },
    errors: [422],
    handler: async (ctx, { query, tenant }) => {
      const params = toListParams(query, matrixList);
      const m = await matrix(deps, graphCaller(ctx, tenant), tenant, scopeOf(query), query.period_days);
      const rows = m.rows.filter((r) => {
        const statuses = query.domain
          ? [r.cells[query.domain].status]
          : DOMAINS.map((d) => r.cells[d].status);
        if (query.status) return statuses.includes(query.status);
        return !query.domain || statuses[0] !== 'not_applicable';
      });
      const key =
        params.sortBy === 'worst'
          ? (r: (typeof rows)[number]) => urgency(r.worst)
          : params.sortBy === 'name'
            ? (r: (typeof rows)[number]) => r.name ?? ''
            : (r: (typeof rows)[number]) => r.entity_id;
      const sorted = sortBy(rows, key, params.sortDir, (r) => r.entity_id);
      return {
        ...listEnvelope(sorted.slice(params.offset, params.offset + params.limit), sorted.length, params),
        as_of: scopeOf(query).as_of,
        period: m.period,
        domains: [...DOMAINS],
      };
    },
  });

  routes.route({
    method: 'get',
    path: '/compliance/deadlines',
    summary: 'Open deadlines due within window_days (overdue ones always), with bucket and domain',
    description:
      'Through the gateway, /api/v1/compliance/deadlines is routed to the compliance monitor (its POST); see the module README for how this GET is reached.',
    roles: READ,
    query: deadlinesQuery,
    responses: { 200: deadlinesAnswer },
    errors: [422],
    handler: async (ctx, { query, tenant }) => {
      const params = toListParams(query, deadlineList);
      const scope = scopeOf(query);
      const entity = query.entity_id === undefined ? undefined : wellIdOf(query.entity_id);
      const all = await deadlinesAsOf(deps, graphCaller(ctx, tenant), scope, query.window_days);
      const rows = all.filter(
        (d) =>
          (!query.level || d.level === query.level) &&
          (!query.bucket || d.bucket === query.bucket) &&
          (!query.domain || d.domain === query.domain) &&
          (!entity || d.well_ids.includes(entity)),
      );
      type Row = (typeof rows)[number];
      const keys: Record<(typeof params)['sortBy'], (r: Row) => string | number> = {
        due_date: (r) => r.due_date,
        days_until_due: (r) => r.days_until_due,
        level: (r) => severity(r.level),
        kind: (r) => r.kind,
        deadline_id: (r) => r.deadline_id,
      };
      const sorted = sortBy(rows, keys[params.sortBy], params.sortDir, (r) => `${r.label}:${r.deadline_id}`);
      return {
        ...listEnvelope(sorted.slice(params.offset, params.offset + params.limit), sorted.length, params),
        as_of: scope.as_of,
        window_days: query.window_days,
      };
    },
  });

  routes.route({
    method: 'get',
    path: '/compliance/trend',
    summary: 'Counts per period: deadlines by bucket on each period’s last day, anomalies of its months',
    roles: READ,
    query: trendQuery,
    responses: { 200: trendAnswer },
    errors: [422],
    handler: async (ctx, { query, tenant }) =>
      trend(deps, graphCaller(ctx, tenant), scopeOf(query), query.period_days, query.periods),
  });

  routes.route({
    method: 'get',
    path: '/compliance/entities/{entity_id}',
    summary: 'One well’s cells, open deadlines and the period’s production alerts',
    roles: READ,
    params: entityParams,
    query: entityQuery,
    responses: { 200: entityAnswer },
    errors: [404, 422],
    handler: async (ctx, { params, query, tenant }) =>
      entityDetail(
        deps,
        graphCaller(ctx, tenant),
        tenant,
        scopeOf(query),
        query.period_days,
        params.entity_id,
      ),
  });
}
