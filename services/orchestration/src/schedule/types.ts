import type { AgentType } from '@aegis/approvals';
import type { AlertDraft } from '@aegis/common';

/**
 * What the schedule needs of the run engine (`run/engine.ts`): run one request of an agent to its end
 * (or to its approval gate). A narrow view of the engine's `run(request, { onEvent, signal })`, which
 * satisfies it as it is; a run that fails (budget exceeded, an upstream down) throws.
 */
export interface MonitorEngine {
  run(request: MonitorRunRequest, opts: { signal: AbortSignal }): Promise<MonitorRunOutcome>;
}

/** A scheduled run: the agent's prompt with the new alerts, acting for the service on one tenant (the
 * fields of the engine's `RunRequest` the schedule sets). */
export interface MonitorRunRequest {
  tenantId: string;
  /** `service:orchestration`: no user asked. */
  userId: string;
  agentType: AgentType;
  agentId: string;
  userMessage: string;
  /** The tenant's earlier scheduled conversation of this agent, so its runs read as one thread. */
  conversationId?: string;
  /** `{ scheduled: true, new_alerts }`: what the planner may cite besides its own tool calls. */
  context: Record<string, unknown>;
}

/** The part of the engine's outcome (the `/execute` shape plus run id and status) the schedule uses. */
export interface MonitorRunOutcome {
  run_id: string;
  conversation_id: string;
  status: string;
  response: string;
  approval_id?: string | null;
}

/** An alert a monitor reports now (the monitors' `AlertDraft`: level, code, rule, entity, message,
 * data and the `dedupe_key` that makes it the same alert on the next look). */
export type MonitorAlert = AlertDraft;

/** What the previous scheduled run of an agent on a tenant saw. */
export interface MonitorState {
  /** The `dedupe_key`s of the alerts reported by the monitors at the previous run. */
  seen: string[];
  conversation_id?: string;
  last_run_id?: string;
  /** ISO-8601 time of the previous run. */
  last_run_at: string;
}

/** Where the schedule remembers, per tenant and agent, what the previous run saw. */
export interface MonitorStateStore {
  get(tenantId: string, agentId: string): Promise<MonitorState | undefined>;
  put(tenantId: string, agentId: string, state: MonitorState): Promise<void>;
}
