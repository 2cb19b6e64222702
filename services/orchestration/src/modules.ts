import type { ApprovalsClient } from '@aegis/approvals';
import type { ServiceApi, ServiceIdentity, ServiceKit } from '@aegis/common';
import { knowledgeGraphClientOf } from '@aegis/graph-client';
import { checklistDeps, checklistRoutes, checklistsInReview, type ChecklistsStore } from './checklists';
import type { Config } from './config';
import { createComplianceFigures, dashboardRoutes } from './dashboard';
import { filingDeps, filingsRoutes, onDecisionEvent, tenantsAwaitingDecisions } from './filings';
import type { RulesLibrary } from './rules';
import type { DecisionConsumer } from './run/resume-loop';
import { TOOL_NAMES } from './tools';
import type { OrchestrationParts } from './wiring';
import { workspaceDeps, workspaceRoutes } from './workspaces';

export interface Modules {
  /** Route registrars, in order, after the agent routes. */
  routes: ((api: ServiceApi) => void)[];
  /** What the approval consumer does with decisions that are not a paused run's: a checklist leaves
   * review, and a granted one becomes a filing package. */
  decisions: DecisionConsumer;
}

/**
 * The service's modules besides the agent runs: the rules library (whose active Rule 37 parameters the
 * filings read), the compliance dashboard (its in-review cells from the checklists in review), filing
 * checklists with their artifacts, workspace assessments (drained at shutdown) and filing packages.
 */
export function startModules(
  kit: ServiceKit<Config>,
  ctx: {
    identity: ServiceIdentity;
    approvals: ApprovalsClient;
    parts: OrchestrationParts;
    /** The service's one rules library (`createRulesLibrary(kit.store)`, shared with the engine). */
    rules: RulesLibrary;
  },
): Modules {
  const { config, logger } = kit;
  const { identity, approvals, parts, rules } = ctx;
  const kg = knowledgeGraphClientOf(config, logger);
  const checklistStore = kit.store as unknown as ChecklistsStore;
  const filings = filingDeps({
    store: kit.store,
    approvals,
    kg,
    flaringMonitorUrl: config.flaringMonitorUrl,
    timeoutMs: config.toolTimeoutMs,
    identity,
    rule37: (tenant) => rules.parameters.active(tenant, 'rule_37'),
    logger,
  });
  const checklists = checklistDeps({
    settings: config.checklists,
    store: checklistStore,
    approvals,
    kg,
    toolNames: TOOL_NAMES,
    logger,
  });
  const workspaces = workspaceDeps({
    store: kit.store,
    checklists,
    agents: parts.catalog,
    tools: parts.tools,
    clients: parts.clients,
    rules: rules.parameters,
    callerFor: (tenant) => identity.caller(tenant),
    logger,
  });
  kit.onClose(() => workspaces.drain());
  const modules = [
    (api: ServiceApi) => rules.register(api),
    (api: ServiceApi) =>
      dashboardRoutes(api, {
        kg,
        figures: createComplianceFigures({
          baseUrl: config.complianceMonitorUrl,
          timeoutMs: config.toolTimeoutMs,
          logger,
        }),
        inReview: { inReview: (tenant) => checklistsInReview(checklistStore, tenant) },
        now: Date.now,
      }),
    (api: ServiceApi) => checklistRoutes(api, checklists),
    (api: ServiceApi) => workspaceRoutes(api, workspaces),
    (api: ServiceApi) => filingsRoutes(api, filings),
  ];
  return {
    routes: modules,
    decisions: {
      tenants: () => tenantsAwaitingDecisions(kit.store),
      handle: (tenant, event) => onDecisionEvent(filings, tenant, event),
    },
  };
}
