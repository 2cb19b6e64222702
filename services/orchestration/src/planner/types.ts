import type { AgentDefinition, Skill, SkillManifest } from '../agents/types';

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A tool call a planner asks for, its arguments parsed (the engine validates them against the tool). */
export interface ToolCallRequest {
  /** The model's call id (`call_…`), or one the deterministic planner makes up. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** One message of the model conversation (OpenAI chat-completions roles). */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCallRequest[] }
  | { role: 'tool'; tool_call_id: string; name: string; content: string };

/** A tool as offered to a planner. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
  mutating: boolean;
}

/** A tool call of this run that has finished (or was refused), in order. */
export interface ToolOutcome {
  call: ToolCallRequest;
  /** The tool's result, or undefined when it failed / was refused. */
  result?: unknown;
  error?: { code: string; message: string };
}

export interface PlannerTurnInput {
  agent: AgentDefinition;
  /** `plan`: choose tool calls or answer; `synthesize`: write the final answer, no more tools. */
  phase: 'plan' | 'synthesize';
  /** The request of this run. */
  userMessage: string;
  /** system prompt, skill manifests, injected skill definitions, earlier messages of the
   * conversation, the user message, and this run's assistant / tool messages so far. */
  messages: ChatMessage[];
  tools: ToolSpec[];
  /** This run's tool calls so far (the deterministic planner writes its answer from them). */
  toolOutcomes: ToolOutcome[];
  /** The graph context assembled for the well the request names, when there is one. */
  context?: Record<string, unknown>;
  /** The caller-supplied `context` of `POST /execute`. */
  requestContext?: Record<string, unknown>;
  skillsOffered: SkillManifest[];
  skillsInjected: Skill[];
  /** Streamed answer text as it is produced (`token` events). */
  onToken: (content: string) => void;
  signal: AbortSignal;
  /** What is left of the run's and the day's budgets: a model call may not ask for more. */
  remaining: { tokens: number; cost_usd: number };
}

export type PlannerTurn =
  | {
      kind: 'tool_calls';
      calls: ToolCallRequest[];
      /** Text the model wrote beside the calls, if any. */
      content?: string;
      usage: TokenUsage;
      cost_usd: number;
      model: string;
      /** True when the API reported no usage and `usage` is an estimate (characters / 4). */
      usage_estimated?: boolean;
    }
  | {
      kind: 'final';
      content: string;
      usage: TokenUsage;
      cost_usd: number;
      model: string;
      /** True when the API reported no usage and `usage` is an estimate (characters / 4). */
      usage_estimated?: boolean;
      /** Set when the planner gave up instead of answering (`content` explains it to the user): the
       * model kept asking for a malformed tool call after one repair round trip. */
      refusal?: { code: 'model_malformed_tool_call'; message: string };
    };

/** Decides the next step of a run. The model planner and the deterministic planner implement it. */
export interface Planner {
  readonly kind: 'model' | 'deterministic';
  turn(input: PlannerTurnInput): Promise<PlannerTurn>;
}
