import { randomUUID } from 'node:crypto';
import type { ToolCallRequest, ToolSpec } from '../types';
import type { RawToolCall } from './completion';
import type { WireMessage } from './wire';

/** A raw call of the model, checked against the tools it was offered. */
export interface CheckedCall {
  raw: RawToolCall;
  /** The model's id, or a made-up one when it sent none or repeated one. */
  id: string;
  /** The parsed call when the name and arguments are usable. */
  call?: ToolCallRequest;
  /** What is wrong with it, in words the model is told. */
  error?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/**
 * Checks each call: the tool must be one of `offered` (none in the synthesis step), the arguments one
 * JSON object (an empty string counts as `{}`). Validating the arguments against the tool's schema is
 * the engine's job (it refuses a call with the schema's issues and tells the planner).
 */
export function checkToolCalls(
  raw: readonly RawToolCall[],
  offered: readonly ToolSpec[],
  /** The reply stopped at `max_tokens` (finish reason `length`): cut-off arguments are explained. */
  truncated = false,
): CheckedCall[] {
  const names = new Set(offered.map((t) => t.name));
  const seen = new Set<string>();
  return raw.map((r) => {
    const id = r.id && !seen.has(r.id) ? r.id : `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    seen.add(id);
    const error = callError(r, names, truncated);
    if (typeof error === 'string') return { raw: r, id, error };
    return { raw: r, id, call: { id, name: r.name, arguments: error.args } };
  });
}

function callError(
  r: RawToolCall,
  names: ReadonlySet<string>,
  truncated: boolean,
): string | { args: Record<string, unknown> } {
  if (!r.name) return 'The tool call has no function name.';
  if (!names.has(r.name))
    return names.size
      ? `There is no tool "${r.name}" here. The tools you may call are: ${[...names].join(', ')}.`
      : `No tools can be called at this step ("${r.name}" was asked for): write the answer as text.`;
  if (r.arguments.trim() === '') return { args: {} };
  let args: unknown;
  try {
    args = JSON.parse(r.arguments);
  } catch (err) {
    const why = truncated
      ? ': the reply was cut off at the token limit, so keep them short'
      : err instanceof SyntaxError
        ? `: ${err.message}`
        : '';
    return `The arguments of "${r.name}" are not valid JSON${why}. Send them as one JSON object matching the tool's parameters.`;
  }
  if (!isPlainObject(args))
    return `The arguments of "${r.name}" must be a JSON object matching the tool's parameters, not ${kindOf(args)}.`;
  return { args };
}

/**
 * The repair round trip's extra messages: the model's own assistant message as it wrote it, then one
 * tool message per call saying what was wrong (or that it was not run because another call of the
 * turn was malformed), so the model can correct itself.
 */
export function repairMessages(content: string, checked: readonly CheckedCall[]): WireMessage[] {
  return [
    {
      role: 'assistant',
      content: content || null,
      tool_calls: checked.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.raw.name, arguments: c.raw.arguments },
      })),
    },
    ...checked.map((c): WireMessage => ({
      role: 'tool',
      tool_call_id: c.id,
      content: c.error
        ? `Error: ${c.error} Correct the call, or answer without it.`
        : 'Not run: another tool call of this turn was malformed. Repeat this call with the corrected one if it is still needed.',
    })),
  ];
}
