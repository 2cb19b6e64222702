import type { Queryable, Store, SweeperTables } from '@aegis/common';

/** Times are RFC 3339 UTC text (`toISOString`, so they sort as text on both stores); JSON columns are
 * text. Every table has `tenant_id` and every query filters on it. */

/** A conversation: a user's thread with one agent. `deleted_at` set = soft-deleted (invisible). */
export interface ConversationsTable {
  conversation_id: string;
  tenant_id: string;
  agent_type: string;
  agent_id: string;
  title: string;
  /** `active | archived` (the client's); the runs carry their own status. */
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One message of a conversation, numbered 1, 2, 3… per conversation. */
export interface MessagesTable {
  tenant_id: string;
  conversation_id: string;
  seq: number;
  message_id: string;
  run_id: string | null;
  /** `user | assistant` */
  role: string;
  content: string;
  created_at: string;
}

/** One agent run. `pending` is the frozen state of a run paused at an approval (JSON `PausedState`).
 * `version` grows with every change, so a resume or cancel is a conditional update. */
export interface RunsTable {
  run_id: string;
  tenant_id: string;
  conversation_id: string;
  agent_id: string;
  agent_type: string;
  agent_version: number;
  planner: string;
  user_id: string;
  user_message: string;
  request_context: string | null;
  status: string;
  response: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  tools_called: string;
  skills_injected: string;
  approval_id: string | null;
  pending: string | null;
  error_code: string | null;
  error_message: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** One step of a run's graph (`load_context`, `plan`, `tool_calls`, `skills`, `approval_gate`,
 * `synthesis`, `resume`), numbered per run. */
export interface RunStepsTable {
  tenant_id: string;
  run_id: string;
  seq: number;
  node: string;
  /** `completed | failed | paused` */
  status: string;
  input: string | null;
  output: string | null;
  model: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  started_at: string;
  ended_at: string;
}

/** One tool call of a run, numbered per run: its arguments, result or error, and its approval. */
export interface ToolCallsTable {
  tenant_id: string;
  run_id: string;
  seq: number;
  call_id: string;
  tool_name: string;
  arguments: string;
  /** `completed | failed | refused | awaiting_approval | rejected | cancelled` */
  status: string;
  result: string | null;
  error: string | null;
  approval_id: string | null;
  started_at: string;
  ended_at: string | null;
}

/** The events of a conversation's runs, numbered 1, 2, 3… per conversation: the stream's `id:`, so a
 * client resumes with `Last-Event-ID`. */
export interface RunEventsTable {
  tenant_id: string;
  conversation_id: string;
  seq: number;
  run_id: string | null;
  event_type: string;
  data: string;
  created_at: string;
}

/** Tokens and cost spent per tenant, agent and UTC day (the per-day budget). */
export interface DailyUsageTable {
  tenant_id: string;
  agent_id: string;
  day: string;
  tokens: number;
  cost_usd: number;
}

/** Per tenant: the last approvals-outbox seq the resume loop handled. */
export interface ApprovalCursorsTable {
  tenant_id: string;
  after_seq: number;
  updated_at: string;
}

export interface OrchestrationDatabase extends SweeperTables {
  conversations: ConversationsTable;
  messages: MessagesTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  tool_calls: ToolCallsTable;
  run_events: RunEventsTable;
  daily_usage: DailyUsageTable;
  approval_cursors: ApprovalCursorsTable;
}

export type OrchestrationDb = Queryable<OrchestrationDatabase>;
export type OrchestrationStore = Store<OrchestrationDatabase>;
