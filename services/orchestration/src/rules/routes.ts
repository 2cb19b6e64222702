import {
  type Logger,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  toListParams,
  type ServiceApi,
  type Store,
} from '@aegis/common';
import {
  createRuleBody,
  newVersionBody,
  ruleDetailSchema,
  ruleIdParams,
  ruleListFilters,
  ruleSchema,
  ruleTransitionAnswer,
  ruleVersionSchema,
  transitionBody,
  versionListFilters,
} from './api-schemas';
import { graphCaller } from '@aegis/graph-client';
import { activationImpact, type RuleChangeImpactSource } from './impact';
import type { RuleParameters } from './parameters';
import { addVersion, bundledSeeder, createRule, ruleDetail, transitionVersion } from './store/operations';
import { listRules, listVersions, ruleRow, RULE_SORTABLE, VERSION_SORTABLE } from './store/rules';
import { asRulesStore } from './store/schema';

export interface RulesRouteDeps {
  /** The service's store, with `RULES_MIGRATIONS` applied. */
  store: Store;
  now?: () => number;
  /** The tools' reader: a transition clears its cache for the rule, so the new version applies at once. */
  parameters?: Pick<RuleParameters, 'invalidate'>;
  /** Gives a tenant the bundled rules before its first request (default: `bundledSeeder(store)`). */
  ensureTenant?: (tenant: string) => Promise<void>;
  /** The compliance monitor's `POST /compliance/rule-changes`: an activation's answer then lists the
   * wells the change affects (`impact`), or `impact_error` when the monitor cannot say. */
  impact?: RuleChangeImpactSource;
  logger?: Logger;
}

const ruleListOptions = { sortable: RULE_SORTABLE, defaultSort: 'rule_key' } as const;
const versionListOptions = {
  sortable: VERSION_SORTABLE,
  defaultSort: 'version',
  defaultDir: 'desc',
} as const;

/**
 * The regulatory rules library: `GET/POST /rules`, `GET /rules/{id}`, `GET/POST /rules/{id}/versions`,
 * `POST /rules/{id}/transition`. Any role reads; changing the library is an `admin`'s (like the
 * approvals settings). Every tenant starts with the bundled rules (16 TAC §3.32, §3.37, Form PR,
 * NSPS OOOOb) as active version 1.
 */
export function rulesRoutes(api: ServiceApi, deps: RulesRouteDeps): void {
  const store = asRulesStore(deps.store);
  const now = deps.now ?? Date.now;
  const ensureTenant = deps.ensureTenant ?? bundledSeeder(store, now);
  const routes = api.group({ tags: ['rules'] });

  routes.route({
    method: 'get',
    path: '/rules',
    summary: 'List the tenant’s rules',
    description:
      'Filters combine with AND; `citation` matches a case-insensitive substring (`3.37` finds 16 TAC §3.37). Sorted by `rule_key` unless `sort_by` says otherwise.',
    roles: ['viewer'],
    query: listQuerySchema(ruleListOptions).extend(ruleListFilters),
    responses: { 200: listEnvelopeSchema(ruleSchema) },
    handler: async (_ctx, { query, tenant }) => {
      await ensureTenant(tenant);
      const params = toListParams(query, ruleListOptions);
      const { status, kind, source, rule_key, citation, agency } = query;
      const filter = { status, kind, source, rule_key, citation, agency };
      const { rows, total } = await listRules(store, tenant, filter, params);
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'post',
    path: '/rules',
    summary: 'Create a rule with a draft version 1',
    description:
      'The parameters are validated by the kind (`rule_32`, `rule_37`, `form_pr`, `nsps_oooob` have fixed shapes; `generic` takes any object). A `rule_key` the tenant already has is a 409 `duplicate_rule_key`. Activate the version with `POST /rules/{id}/transition`.',
    roles: ['admin'],
    body: createRuleBody,
    responses: { 201: ruleDetailSchema },
    errors: [409],
    handler: async (_ctx, { body, identity, tenant }) => {
      await ensureTenant(tenant);
      return createRule(store, tenant, identity.userId, body, now);
    },
  });

  routes.route({
    method: 'get',
    path: '/rules/{id}',
    summary: 'Read a rule with its active version and a summary of every version',
    roles: ['viewer'],
    params: ruleIdParams,
    responses: { 200: ruleDetailSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      await ensureTenant(tenant);
      return ruleDetail(store, tenant, params.id);
    },
  });

  routes.route({
    method: 'get',
    path: '/rules/{id}/versions',
    summary: 'List a rule’s versions (newest first unless sorted otherwise)',
    roles: ['viewer'],
    params: ruleIdParams,
    query: listQuerySchema(versionListOptions).extend(versionListFilters),
    responses: { 200: listEnvelopeSchema(ruleVersionSchema) },
    errors: [404],
    handler: async (_ctx, { params, query, tenant }) => {
      await ensureTenant(tenant);
      await ruleRow(store, tenant, params.id);
      const listParams = toListParams(query, versionListOptions);
      const { rows, total } = await listVersions(
        store,
        tenant,
        params.id,
        { status: query.status },
        listParams,
      );
      return listEnvelope(rows, total, listParams);
    },
  });

  routes.route({
    method: 'post',
    path: '/rules/{id}/versions',
    summary: 'Add a draft version of a rule',
    description:
      'The version number is the rule’s latest plus one. `parameters` is the whole set, validated by the rule’s kind (422 naming each field). The draft changes nothing until it is activated.',
    roles: ['admin'],
    params: ruleIdParams,
    body: newVersionBody,
    responses: { 201: ruleVersionSchema },
    errors: [404, 409],
    handler: async (_ctx, { params, body, identity, tenant }) => {
      await ensureTenant(tenant);
      return addVersion(store, tenant, identity.userId, params.id, body, now);
    },
  });

  routes.route({
    method: 'post',
    path: '/rules/{id}/transition',
    summary: 'Move a rule version along its lifecycle',
    description:
      '`draft → active → superseded | retired`. `to: active` activates a draft (default: the latest version) and, in the same transaction, supersedes the active version; a draft older than the active version is a 409 `stale_version`. `to: retired` withdraws the active version (the default version to retire; the rule then has none). `superseded` happens only through activation, and superseded or retired versions are final: any other transition is a 409 `illegal_transition` and changes nothing. The tools read the new active parameters at once. An activation of a rule linked to a knowledge-graph entity asks the compliance monitor (`POST /compliance/rule-changes`, with the caller’s token) which wells the change affects and answers them as `impact`; when the monitor cannot answer, `impact_error` says why (`compliance_monitor_unavailable`, `compliance_monitor_timeout`, …) and the transition is committed regardless.',
    roles: ['admin'],
    params: ruleIdParams,
    body: transitionBody,
    responses: { 200: ruleTransitionAnswer },
    errors: [404, 409],
    handler: async (ctx, { params, body, identity, tenant }) => {
      await ensureTenant(tenant);
      const outcome = await transitionVersion(store, tenant, identity.userId, params.id, body, now);
      deps.parameters?.invalidate(tenant, outcome.rule.rule_key);
      const { rule } = outcome;
      if (body.to !== 'active' || !deps.impact || !rule.current) return rule;
      const impact = await activationImpact(
        deps.impact,
        graphCaller(ctx, tenant),
        rule,
        rule.current,
        deps.logger,
      );
      return { ...rule, ...impact };
    },
  });
}
