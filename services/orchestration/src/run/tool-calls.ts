import { AppError } from '@aegis/common';
import type { z } from 'zod';
import type { AgentDefinition } from '../agents/types';
import type { ToolCallRequest, ToolOutcome } from '../planner/types';
import type { ToolDefinition, ToolRegistry } from '../tools/types';
import type { EngineDeps } from './deps';
import type { RunRecorder } from './recorder';
import type { RunState } from './state';

/** What the engine does with a call a planner asked for. */
export type CallCheck =
  | { kind: 'refused'; error: { code: string; message: string } }
  | { kind: 'run'; tool: ToolDefinition; args: Record<string, unknown> }
  | { kind: 'gated'; tool: ToolDefinition; args: Record<string, unknown> };

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
}

/** Checks a call against the agent and the tool's input schema (pure): a tool the agent does not have
 * and arguments the schema refuses are refused with the reason, and never reach the tool. */
export function checkCall(agent: AgentDefinition, tools: ToolRegistry, call: ToolCallRequest): CallCheck {
  const tool = agent.tools.includes(call.name) ? tools.get(call.name) : undefined;
  if (!tool)
    return {
      kind: 'refused',
      error: {
        code: 'unknown_tool',
        message: `${call.name} is not a tool of ${agent.agent_id} (its tools: ${agent.tools.join(', ')})`,
      },
    };
  const parsed = tool.input.safeParse(call.arguments);
  if (!parsed.success)
    return { kind: 'refused', error: { code: 'invalid_arguments', message: issuesText(parsed.error) } };
  const args = parsed.data;
  return tool.mutating ? { kind: 'gated', tool, args } : { kind: 'run', tool, args };
}

/** Two calls of the same tool with the same arguments (a planner repeating itself). */
export function sameCall(a: ToolCallRequest, b: ToolCallRequest): boolean {
  return a.name === b.name && JSON.stringify(a.arguments) === JSON.stringify(b.arguments);
}

function toolError(err: unknown): { code: string; message: string } {
  if (err instanceof AppError)
    return { code: err.code, message: typeof err.detail === 'string' ? err.detail : err.message };
  return { code: 'tool_failed', message: err instanceof Error ? err.message : String(err) };
}

/** The tool message the planner sees for an outcome. */
export function toolMessage(o: ToolOutcome): {
  role: 'tool';
  tool_call_id: string;
  name: string;
  content: string;
} {
  return {
    role: 'tool',
    tool_call_id: o.call.id,
    name: o.call.name,
    content: JSON.stringify(o.error ? { error: o.error } : (o.result ?? null)),
  };
}

/**
 * Runs one validated call (`seq` given: the row of a call that waited at the approval gate), with the
 * `tool_call` and `tool_result` events, and records it. A tool's failure is the call's outcome (the
 * planner sees the error), never the run's; a cancelled run's abort is rethrown.
 */
export async function runTool(
  deps: EngineDeps,
  rec: RunRecorder,
  st: RunState,
  tool: ToolDefinition,
  call: ToolCallRequest,
  args: Record<string, unknown>,
  seq?: number,
): Promise<ToolOutcome> {
  await rec.emit({
    event_type: 'agent_status',
    status: 'calling_tool',
    node: 'tool_calls',
    run_id: st.runId,
  });
  await rec.emit({ event_type: 'tool_call', tool_name: call.name, arguments: args, run_id: st.runId });
  const row =
    seq ??
    (await rec.toolCall({ call_id: call.id, tool_name: call.name, arguments: args, status: 'running' }));
  st.toolsCalled.push(call.name);
  let outcome: ToolOutcome;
  try {
    const result = await tool.run(args, {
      tenantId: st.tenant,
      userId: st.userId,
      caller: st.caller,
      clients: deps.clients,
      rules: deps.rules,
      conversationId: st.conversationId,
      runId: st.runId,
      signal: st.signal,
      now: deps.now,
    });
    outcome = { call: { ...call, arguments: args }, result };
    await rec.finishToolCall(row, { status: 'completed', result: result ?? null, arguments: args });
  } catch (err) {
    if (st.signal.aborted) throw err;
    outcome = { call: { ...call, arguments: args }, error: toolError(err) };
    await rec.finishToolCall(row, { status: 'failed', error: outcome.error, arguments: args });
  }
  await rec.emit({
    event_type: 'tool_result',
    tool_name: call.name,
    result: outcome.error ? { error: outcome.error } : (outcome.result ?? null),
    run_id: st.runId,
  });
  st.outcomes.push(outcome);
  st.messages.push(toolMessage(outcome));
  return outcome;
}

/** Records a refused call and tells the planner why. */
export async function refuseCall(
  rec: RunRecorder,
  st: RunState,
  call: ToolCallRequest,
  error: { code: string; message: string },
): Promise<void> {
  await rec.toolCall({
    call_id: call.id,
    tool_name: call.name,
    arguments: call.arguments,
    status: 'refused',
    error,
  });
  const outcome: ToolOutcome = { call, error };
  st.outcomes.push(outcome);
  st.messages.push(toolMessage(outcome));
}
