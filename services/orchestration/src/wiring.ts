import { createApprovalsClient, OutboxSignal } from '@aegis/approvals';
import { createServiceIdentity, type ServiceApi, type ServiceIdentity, type ServiceKit } from '@aegis/common';
import { memoryClientOf } from '@aegis/memory';
import type { AppDeps } from './app';
import { startModules } from './modules';
import type { Config } from './config';
import { createRuleChangeImpact, createRulesLibrary } from './rules';
import type { AgentCatalog, EngineDeps } from './run/deps';
import { createEngine, type Engine } from './run/engine';
import { createRunMetrics } from './run/metrics';
import { startResumeLoop } from './run/resume-loop';
import { startMonitorAgents } from './schedule';
import type { OrchestrationStore } from './store/schema';

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
  // One rules library (ADR 0029): its parameters cache is what the tools of the runs and assessments
  // read and what a transition through `/rules` clears.
  const rules = createRulesLibrary(kit.store, {
    impact: createRuleChangeImpact({
      baseUrl: config.complianceMonitorUrl,
      timeoutMs: config.toolTimeoutMs,
      logger,
    }),
    logger,
  });
  const approvals = createApprovalsClient({ baseUrl: config.approvalsUrl, token: () => identity.token() });
  const deps: EngineDeps = {
    ...parts,
    rules: rules.parameters,
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
  const modules = startModules(kit, { identity, approvals, parts, rules });
  const loop = startResumeLoop(engine, deps, {
    intervalMs: config.approvalPollMs,
    scanAtStart: true,
    consumer: modules.decisions,
  });
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
  return { engine, identity, events, catalog: parts.catalog, modules: modules.routes };
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
