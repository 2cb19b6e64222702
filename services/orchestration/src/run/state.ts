import { AppError } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { AgentDefinition, Skill, SkillManifest } from '../agents/types';
import type { ChatMessage, ToolCallRequest, ToolOutcome } from '../planner/types';

/** Everything a run carries between its steps. */
export interface RunState {
  agent: AgentDefinition;
  tenant: string;
  userId: string;
  conversationId: string;
  runId: string;
  userMessage: string;
  requestContext?: Record<string, unknown>;
  caller: GraphCaller;
  messages: ChatMessage[];
  outcomes: ToolOutcome[];
  context?: Record<string, unknown>;
  wellId?: string;
  manifests: SkillManifest[];
  injected: Skill[];
  /** The conversation's injection ledger as this run knows it (read once, then its own marks). */
  ledger?: string[];
  toolsCalled: string[];
  /** A `final` answer of a plan turn (synthesis then only records it). */
  answer?: string;
  /** Whether `token` events carried the answer already. */
  streamed: boolean;
  signal: AbortSignal;
}

/** The frozen state of a run paused at an approval (`runs.pending`): what the resume needs, including
 * the exact tool call the reviewer was shown (replayed as it is when approved). */
export interface PausedState {
  call: ToolCallRequest;
  tool_call_seq: number;
  messages: ChatMessage[];
  outcomes: ToolOutcome[];
  context?: Record<string, unknown>;
  well_id?: string;
  request_context?: Record<string, unknown>;
  manifests: SkillManifest[];
  injected: Skill[];
  tools_called: string[];
  /** The answer text the run gave when it paused. */
  paused_response: string;
}

/** A run stopped on its budget (per run or per day): 429 `budget_exceeded`, nothing half-done. */
export class BudgetExceededError extends AppError {
  constructor(detail: string) {
    super(429, 'budget_exceeded', detail);
  }
}

/** A tool call the planner asked for, waiting at the approval gate. */
export interface GatedCall {
  call: ToolCallRequest;
  args: Record<string, unknown>;
}
