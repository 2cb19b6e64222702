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

/** The planner's messages in the wire format (tool call arguments serialised, tool names dropped
 * from tool messages: the API identifies them by `tool_call_id`). */
export function toWireMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((m): WireMessage => {
    switch (m.role) {
      case 'assistant':
        return m.tool_calls?.length
          ? {
              role: 'assistant',
              content: m.content,
              tool_calls: m.tool_calls.map((c) => ({
                id: c.id,
                type: 'function',
                function: { name: c.name, arguments: JSON.stringify(c.arguments) },
              })),
            }
          : { role: 'assistant', content: m.content };
      case 'tool':
        return { role: 'tool', tool_call_id: m.tool_call_id, content: m.content };
      default:
        return { role: m.role, content: m.content };
    }
  });
}

/** Tool specs as function tools. The JSON schema's `$schema` (which `z.toJSONSchema` writes) is left
 * out: the API wants the schema object only, and some compatible servers refuse the keyword. */
export function toWireTools(tools: readonly ToolSpec[]): WireTool[] {
  return tools.map((t) => {
    const { $schema: _dialect, ...parameters } = t.parameters;
    return { type: 'function', function: { name: t.name, description: t.description, parameters } };
  });
}
