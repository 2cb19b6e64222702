import type { CheckpointType } from '@aegis/approvals';
import type { GraphCaller } from '@aegis/graph-client';
import type { z } from 'zod';
import type { RuleParameters } from '../rules/parameters';

/** Whatever the tools reach the rest of the platform with (built by `tools/clients.ts`). */
export interface PlatformClients {
  /** Plain JSON calls to a service (`knowledge-graph`, `flaring-monitor`, `compliance-monitor`) with
   * the caller's token and tenant; a 4xx reply is thrown as an AppError with the service's code, a
   * failure or 5xx as an UpstreamError. */
  call<T = unknown>(
    service: 'knowledge-graph' | 'flaring-monitor' | 'compliance-monitor',
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    caller: GraphCaller,
    body?: unknown,
  ): Promise<T>;
}

/** What a tool runs with. */
export interface ToolContext {
  tenantId: string;
  /** The user the run acts for (`service:orchestration` for a scheduled run). */
  userId: string;
  /** The token and tenant downstream calls use (the service identity acting on the run's tenant). */
  caller: GraphCaller;
  clients: PlatformClients;
  conversationId: string;
  runId: string;
  signal: AbortSignal;
  now: () => number;
  /** The tenant's active rule versions (the rules library, ADR 0029): the tools compute with the active
   * `rule_37` / `rule_32` parameters and cite the version. Absent (unit tests): the bundled values. */
  rules?: ToolRules;
}

/** What the tools read of the rules library: `createRulesLibrary(store).parameters` is one. */
export type ToolRules = Pick<RuleParameters, 'activeRule'>;

/** What a mutating tool asks the reviewer to approve (the approval's `payload`). */
export interface ApprovalRequest {
  checkpoint_type: CheckpointType;
  payload: { filing_type?: string; entity_id: string; summary: string } & Record<string, unknown>;
}

/**
 * A real function over the platform. Its `input` schema validates the arguments before it runs (a
 * planner's malformed call is refused with the issues and never reaches `run`); its JSON schema (from
 * `z.toJSONSchema(input)`) is what the model planner is offered.
 */
export interface ToolDefinition<I = Record<string, unknown>, O = unknown> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  /** Present for tools that change records or submit a filing: the run stops at this checkpoint and
   * the call runs only after the approval (with the reviewer's modifications, if any). */
  mutating?: {
    approval(args: I): ApprovalRequest;
    /** The checkpoint `approval` always names, when it is fixed: the agent loader checks that an agent
     * offering the tool has it. */
    checkpoint?: CheckpointType;
  };
  run(args: I, ctx: ToolContext): Promise<O>;
}

/** The tool registry: every tool by name. */
export type ToolRegistry = ReadonlyMap<string, ToolDefinition>;
