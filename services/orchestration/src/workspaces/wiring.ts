import { SSE_HEARTBEAT_MS } from '@aegis/common';
import { createAssessmentHub } from './hub';
import type { WorkspaceRouteDeps } from './routes';
import type { AssessmentDeps } from './runner';

/** What the service hands over: the assessment's dependencies (`AssessmentDeps`: the store with the
 * workspace tables, the checklist routes' dependencies, catalogs, clients, the rules library's reader,
 * the service identity acting on a tenant) without what this module makes itself (the hub, the set of
 * background assessments), and the timings, defaulted here. */
export type WorkspaceWiring = Omit<AssessmentDeps, 'hub' | 'inflight' | 'now' | 'staleAfterMs'> &
  Partial<Pick<WorkspaceRouteDeps, 'now' | 'heartbeatMs' | 'pollMs' | 'staleAfterMs'>>;

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
