/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { createApprovalsClient, OutboxSignal } from '@aegis/approvals';
import { createLogger, createMetrics, createTokenVerifier, openStore } from '@aegis/common';
import {
  createTestTokenIssuer,
  jsonRequest,
  listen,
  type Listening,
  type TestTokenIssuer,
} from '@aegis/testing';
import { startTestApprovals } from '@aegis/testing/approvals';
import { Registry } from 'prom-client';
import type { AgentDefinition } from '../agents/types';
import { createApp } from '../app';
import type { EngineDeps } from '../run/deps';
import { createEngine, type Engine } from '../run/engine';
import { createRunMetrics } from '../run/metrics';
import { startResumeLoop, type ResumeLoop } from '../run/resume-loop';
import { ORCHESTRATION_MIGRATIONS } from '../store/migrations';
import type { OrchestrationDatabase, OrchestrationStore } from '../store/schema';
import type { OrchestrationParts } from '../wiring';
import type { PlatformClients } from '../tools/types';
import {
  catalogOf,
  defaultAgents,
  fakeMemory,
  ScriptedPlanner,
  skillLibrary,
  toolsOf,
  toolSpecsOf,
  type ToolLog,
} from './fixtures';

export interface Harness {
  url: string;
  store: OrchestrationStore;
  tokens: {
    operator: string;
    viewer: string;
    viewer2: string;
    acme: string;
    reviewer: string;
    admin: string;
  };
  planner: ScriptedPlanner;
  log: ToolLog;
  memory: ReturnType<typeof fakeMemory>;
  agents: AgentDefinition[];
  engine: Engine;
  loop: ResumeLoop;
  issuer: TestTokenIssuer;
  /** The run metrics' registry (`aegis_agent_runs_total`). */
  registry: Registry;
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  decide(approvalId: string, body: Record<string, unknown>): Promise<{ status: number; body: any }>;
  approval(approvalId: string): Promise<any>;
  /** Waits until the run has one of `statuses` (its trace). */
  waitForRun(conversationId: string, runId: string, statuses: string[], timeoutMs?: number): Promise<any>;
  /** A new engine, resume loop and app on the same store (the old ones stopped): a restart. */
  restart(): Promise<void>;
  count(table: keyof OrchestrationDatabase, tenant?: string): Promise<number>;
  close(): Promise<void>;
}

/** The parts a test may replace (the real catalog, tools and planner over an in-process platform). */
export type HarnessParts = Partial<OrchestrationParts & Pick<EngineDeps, 'caller'>>;

export async function startHarness(
  options: {
    url?: string;
    agents?: AgentDefinition[];
    heartbeatMs?: number;
    parts?: HarnessParts;
    /** Runs between the approval's creation and the run's pause (a reviewer who decides at once). */
    onApprovalCreated?: (approvalId: string, h: Harness) => Promise<void>;
  } = {},
): Promise<Harness> {
  const issuer = await createTestTokenIssuer();
  const logger = createLogger({ service: 'orchestration-test', level: 'silent' });
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  // The approvals app as it was here before the shared helper: no response checks.
  const approvalsServer = await startTestApprovals({
    url: 'sqlite::memory:',
    verifier,
    logger,
    checkResponses: false,
  });
  const service = await issuer.sign({
    roles: ['service'],
    tenant_id: 'default',
    sub: 'service:orchestration',
    user_id: 'service:orchestration',
  });
  const tokens = {
    operator: await issuer.sign({ roles: ['operator'], tenant_id: 'default', sub: 'olga', user_id: 'olga' }),
    viewer: await issuer.sign({ roles: ['viewer'], tenant_id: 'default', sub: 'vic', user_id: 'vic' }),
    viewer2: await issuer.sign({ roles: ['viewer'], tenant_id: 'default', sub: 'val', user_id: 'val' }),
    acme: await issuer.sign({ roles: ['operator'], tenant_id: 'acme', sub: 'ann', user_id: 'ann' }),
    reviewer: await issuer.sign({ roles: ['reviewer'], tenant_id: 'default', sub: 'rita', user_id: 'rita' }),
    admin: await issuer.sign({ roles: ['admin'], tenant_id: 'default', sub: 'ada', user_id: 'ada' }),
  };
  const store: OrchestrationStore = await openStore<OrchestrationDatabase>({
    url: options.url ?? 'sqlite::memory:',
  });
  await store.migrate('orchestration', ORCHESTRATION_MIGRATIONS);
  const agents = options.agents ?? defaultAgents();
  const log: ToolLog = { lookups: [], filed: [] };
  const memory = fakeMemory();
  const clients: PlatformClients = {
    call: <T>(_service: string, _method: string, path: string) =>
      Promise.resolve({ well: { entity_id: path.split('/').pop() } } as T),
  };
  const client = createApprovalsClient({
    baseUrl: approvalsServer.url,
    token: () => Promise.resolve(service),
  });
  const approvals: typeof client = {
    ...client,
    create: async (tenant, input) => {
      const approval = await client.create(tenant, input);
      await options.onApprovalCreated?.(approval.approval_id, h);
      return approval;
    },
  };
  const tools = toolsOf(log);
  const registry = new Registry();
  const runMetrics = createRunMetrics(registry);

  let server: Listening;
  const h = {} as Harness;
  const boot = async () => {
    const planner = h.planner ?? new ScriptedPlanner();
    const events = new OutboxSignal();
    const deps: EngineDeps = {
      store,
      catalog: catalogOf(agents),
      tools,
      toolSpecs: toolSpecsOf(tools),
      skills: skillLibrary,
      planner,
      clients,
      caller: (tenantId) => Promise.resolve({ token: service, tenantId }),
      memory,
      approvals,
      events,
      logger,
      now: Date.now,
      metrics: runMetrics,
      ...options.parts,
    };
    const engine = createEngine(deps);
    const loop = startResumeLoop(engine, deps, { intervalMs: 60_000 });
    const app = createApp({
      store,
      engine,
      catalog: deps.catalog,
      events,
      verifier,
      logger,
      metrics: createMetrics('orchestration_h'),
      checkResponses: true,
      sseHeartbeatMs: options.heartbeatMs ?? 15_000,
      streamPollMs: 50,
    });
    server = await listen(app);
    Object.assign(h, { url: server.url, planner, engine, loop });
  };
  Object.assign(h, {
    store,
    tokens,
    log,
    memory,
    agents,
    issuer,
    registry,
    call: (method: string, path: string, token: string, body?: unknown) =>
      jsonRequest(`${h.url}${path}`, method, { token, body }),
    decide: (id: string, body: Record<string, unknown>) =>
      jsonRequest(`${approvalsServer.url}/approvals/${id}/decide`, 'POST', { token: tokens.reviewer, body }),
    approval: async (id: string) =>
      (await jsonRequest(`${approvalsServer.url}/approvals/${id}`, 'GET', { token: tokens.reviewer })).body,
    waitForRun: async (conv: string, run: string, statuses: string[], timeoutMs = 5000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await h.call('GET', `/conversations/${conv}/runs/${run}`, tokens.admin);
        if (statuses.includes(res.body?.status)) return res.body;
        if (Date.now() > until)
          throw new Error(`Run ${run} is ${res.body?.status}, not ${statuses.join('|')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    restart: async () => {
      await h.loop.stop();
      await server.close();
      (h as { planner?: ScriptedPlanner }).planner = undefined;
      await boot();
    },
    count: async (table: keyof OrchestrationDatabase, tenant = 'default') => {
      const row = await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id' as never, '=', tenant as never)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    close: async () => {
      await h.loop.stop();
      await server.close();
      await approvalsServer.close();
      await store.close();
      await issuer.close();
    },
  });
  await boot();
  return h;
}
