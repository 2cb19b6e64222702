import { SSE_HEARTBEAT_MS, type Logger } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { AgentCatalog } from '../agents';
import type { ChecklistOpsDeps } from '../checklists';
import type { PlatformClients, ToolRegistry, ToolRules } from '../tools';
import { createAssessmentHub } from './hub';
import type { WorkspaceRouteDeps } from './routes';
import type { WorkspacesStore } from './store';

export interface WorkspaceWiring {
  /** The orchestration store (the workspace tables: `WORKSPACES_MIGRATIONS`). */
  store: WorkspacesStore;
  /** The checklist routes' dependencies (`checklistDeps(...)`): the same store, templates and clock. */
  checklists: ChecklistOpsDeps;
  agents: AgentCatalog;
  tools: ToolRegistry;
  clients: PlatformClients;
  /** The rules library's reader (`rules.parameters`): the tools compute with the active versions. */
  rules?: ToolRules;
  /** The service identity acting on a tenant: `(tenant) => identity.caller(tenant)` (ADR 0019). */
  callerFor: (tenant: string) => GraphCaller | Promise<GraphCaller>;
  logger?: Logger;
  now?: () => number;
  heartbeatMs?: number;
  pollMs?: number;
  staleAfterMs?: number;
}

/** Default: an active assessment not heard of for 5 minutes was abandoned (an item's tool calls
 * time out long before: TOOL_TIMEOUT_MS). */
export const ASSESSMENT_STALE_AFTER_MS = 5 * 60_000;

export interface WorkspaceRuntime extends WorkspaceRouteDeps {
  /** Waits for the background assessments of this process (shutdown, tests). */
  drain(): Promise<void>;
}

/** The dependencies of `workspaceRoutes`, from the service's store, catalogs, clients and identity. */
export function workspaceDeps(w: WorkspaceWiring): WorkspaceRuntime {
  const inflight = new Set<Promise<void>>();
  return {
    store: w.store,
    checklists: w.checklists,
    agents: w.agents,
    tools: w.tools,
    clients: w.clients,
    rules: w.rules,
    callerFor: w.callerFor,
    hub: createAssessmentHub(),
    logger: w.logger,
    now: w.now ?? w.checklists.now,
    heartbeatMs: w.heartbeatMs ?? SSE_HEARTBEAT_MS,
    pollMs: w.pollMs ?? 1000,
    staleAfterMs: w.staleAfterMs ?? ASSESSMENT_STALE_AFTER_MS,
    inflight,
    drain: async () => {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}
