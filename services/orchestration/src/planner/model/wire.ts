import type { ChatMessage, ToolSpec } from '../types';

/** A tool call as the OpenAI chat-completions API writes it: the arguments are a JSON string. */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A message in the chat-completions wire format. */
export type WireMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface WireTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The body of `POST {baseUrl}/chat/completions`. */
export interface ChatRequest {
  model: string;
  messages: WireMessage[];
  /** Absent in synthesis. No `tool_choice`: `auto` is the API's default with tools, and some
   * compatible servers refuse an explicit one unless started with a flag. */
  tools?: WireTool[];
  stream: true;
  stream_options: { include_usage: true };
  temperature: number;
  max_tokens: number;
}

/** What the model is told about a call of an earlier turn that has no result (yet): it waits at an
 * approval gate, or the run stopped before it ran. */
export const NOT_RUN_CONTENT = JSON.stringify({
  error: { code: 'not_run', message: 'This call has not run (it may be waiting for an approval).' },
});

/**
 * The planner's messages in the wire format: tool call arguments serialised, tool names dropped from
 * tool messages (the API identifies them by `tool_call_id`). The API refuses a conversation in which
 * an assistant's tool calls are not answered by tool messages right after it, or a tool message
 * answers no call, so the sequence is made valid: each call's result is moved right after its call
 * (a result recorded later, e.g. after an approval, included), a call without one gets a `not_run`
 * result, and a result of no call becomes a user note.
 */
export function toWireMessages(messages: readonly ChatMessage[]): WireMessage[] {
  const calledIds = new Set(
    messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : [])),
  );
  const results = new Map<string, string>();
  for (const m of messages)
    if (m.role === 'tool' && calledIds.has(m.tool_call_id) && !results.has(m.tool_call_id))
      results.set(m.tool_call_id, m.content);
  const answered = new Set<string>();
  const out: WireMessage[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      if (!calledIds.has(m.tool_call_id))
        out.push({ role: 'user', content: `[Result of the tool ${m.name}]\n${m.content}` });
      continue;
    }
    if (m.role !== 'assistant') {
      out.push({ role: m.role, content: m.content });
      continue;
    }
    // A call id repeated in a later turn is answered once, after its first call.
    const calls = (m.tool_calls ?? []).filter((c) => !answered.has(c.id));
    calls.forEach((c) => answered.add(c.id));
    if (!calls.length && !m.content) continue; // nothing left to say: the API refuses an empty turn
    out.push({
      role: 'assistant',
      content: m.content,
      ...(calls.length
        ? {
            tool_calls: calls.map((c) => ({
              id: c.id,
              type: 'function' as const,
              function: { name: c.name, arguments: JSON.stringify(c.arguments) },
            })),
          }
        : {}),
    });
    for (const c of calls)
      out.push({ role: 'tool', tool_call_id: c.id, content: results.get(c.id) ?? NOT_RUN_CONTENT });
  }
  return out;
}

/** Tool specs as function tools. The JSON schema's `$schema` (which `z.toJSONSchema` writes) is left
 * out: the API wants the schema object only, and some compatible servers refuse the keyword. */
export function toWireTools(tools: readonly ToolSpec[]): WireTool[] {
  return tools.map((t) => {
    const { $schema: _dialect, ...parameters } = t.parameters;
    return { type: 'function', function: { name: t.name, description: t.description, parameters } };
  });
}
