import { createApprovalsClient, OutboxSignal } from '@aegis/approvals';
import { createServiceIdentity, type ServiceApi, type ServiceIdentity, type ServiceKit } from '@aegis/common';
import { knowledgeGraphClientOf } from '@aegis/graph-client';
import { memoryClientOf } from '@aegis/memory';
import type { AppDeps } from './app';
import { checklistDeps, checklistRoutes, type ChecklistsStore } from './checklists';
import type { Config } from './config';
import { createComplianceFigures, dashboardRoutes, NOTHING_IN_REVIEW } from './dashboard';
import { createRulesLibrary } from './rules';
import type { AgentCatalog, EngineDeps } from './run/deps';
import { createEngine, type Engine } from './run/engine';
import { createRunMetrics } from './run/metrics';
import { startResumeLoop } from './run/resume-loop';
import { startMonitorAgents } from './schedule';
import type { OrchestrationStore } from './store/schema';
import { TOOL_NAMES } from './tools';

/** The agents, tools, skills and planner a running service uses (`parts.ts` builds the real ones;
 * tests pass fixtures). */
export type OrchestrationParts = Pick<
  EngineDeps,
  'catalog' | 'tools' | 'toolSpecs' | 'skills' | 'planner' | 'clients'
>;

export interface Orchestration {
  engine: Engine;
  identity: ServiceIdentity;
  events: OutboxSignal;
  catalog: AgentCatalog;
  /** Route registrars of the service's other modules. */
  modules: ((api: ServiceApi) => void)[];
}

/**
 * Start-up work of the running service: the service identity (ADR 0019) every run's downstream calls
 * use on the run's tenant, the approvals and memory clients, the engine, the approval resume loop
 * (outbox every APPROVAL_POLL_MS, and a scan of the paused runs at start and every 30 passes, so a
 * run paused before a restart resumes after it), and the scheduled monitor agents
 * (MONITOR_AGENTS_INTERVAL_MS, one replica at a time). Stopped at shutdown before the store closes.
 */
export function startOrchestration(kit: ServiceKit<Config>, parts: OrchestrationParts): Orchestration {
  const { config, logger } = kit;
  const identity = createServiceIdentity({
    authUrl: config.authUrl,
    name: 'orchestration',
    secret: config.serviceClientSecret,
  });
  if (!config.serviceClientSecret)
    logger.warn(
      'Agent runs will fail with auth_refused: SERVICE_CLIENT_SECRET is not set, so runs cannot call the platform',
    );
  const events = new OutboxSignal();
  const approvals = createApprovalsClient({ baseUrl: config.approvalsUrl, token: () => identity.token() });
  const deps: EngineDeps = {
    ...parts,
    store: kit.store as OrchestrationStore,
    caller: (tenantId) => identity.caller(tenantId),
    memory: memoryClientOf(config, logger),
    approvals,
    events,
    logger,
    now: Date.now,
    metrics: createRunMetrics(kit.metrics.registry),
  };
  const engine = createEngine(deps);
  const loop = startResumeLoop(engine, deps, { intervalMs: config.approvalPollMs, scanAtStart: true });
  kit.onClose(() => loop.stop());
  const monitors = startMonitorAgents({
    engine,
    identity: config.serviceClientSecret ? identity : undefined,
    catalog: parts.catalog,
    clients: parts.clients,
    store: kit.store,
    intervalMs: config.monitorAgentsIntervalMs,
    logger,
  });
  kit.onClose(() => monitors.stop());
  const kg = knowledgeGraphClientOf(config, logger);
  const rules = createRulesLibrary(kit.store);
  const checklists = checklistDeps({
    settings: config.checklists,
    store: kit.store as unknown as ChecklistsStore,
    approvals,
    kg,
    toolNames: TOOL_NAMES,
    logger,
  });
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
        inReview: NOTHING_IN_REVIEW,
        now: Date.now,
      }),
    (api: ServiceApi) => checklistRoutes(api, checklists),
  ];
  return { engine, identity, events, catalog: parts.catalog, modules };
}

/** The app's dependencies from the kit and the started orchestration. */
export function appDeps(kit: ServiceKit<Config>, o: Orchestration): AppDeps {
  return {
    ...kit,
    store: kit.store as OrchestrationStore,
    engine: o.engine,
    catalog: o.catalog,
    events: o.events,
    bodyLimitBytes: kit.config.bodyLimitBytes,
    sseHeartbeatMs: kit.config.sseHeartbeatMs,
    streamPollMs: kit.config.approvalPollMs,
    modules: o.modules,
  };
}
