import type { TokenUsage } from '../types';

/** A tool call as the model wrote it: arguments still a string, possibly not JSON. */
export interface RawToolCall {
  /** The model's id; empty when it sent none (the planner makes one up). */
  id: string;
  name: string;
  arguments: string;
}

/** One model answer, assembled from a stream of deltas or read from a JSON reply. */
export interface Completion {
  content: string;
  toolCalls: RawToolCall[];
  /** The API's usage, when it reported one. */
  usage?: TokenUsage;
  finishReason?: string;
}

/** The reply was not a chat completion (a broken chunk, an error event, no choice): a server fault. */
export class MalformedReplyError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Reads `usage` of a chunk or a reply; undefined when absent or not numbers. */
function usageOf(v: unknown): TokenUsage | undefined {
  if (!isObject(v)) return undefined;
  const prompt = v.prompt_tokens;
  const completion = v.completion_tokens;
  if (typeof prompt !== 'number' || typeof completion !== 'number') return undefined;
  const total = typeof v.total_tokens === 'number' ? v.total_tokens : prompt + completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

/** Arguments as a string: some servers send an object where the API has a JSON string. */
const argumentsText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

/**
 * Folds the chunks of a streamed completion (`chat.completion.chunk`) into one: content deltas are
 * appended (and handed to `onToken` as they come), tool-call deltas are joined by `index` (the id and
 * name arrive in the first fragment, the arguments in pieces), usage is the last one reported (the
 * final chunk with `stream_options.include_usage`).
 */
export class CompletionAccumulator {
  private content = '';
  private readonly calls = new Map<number, RawToolCall>();
  private usage?: TokenUsage;
  private finishReason?: string;

  constructor(private readonly onToken: (content: string) => void) {}

  add(chunk: unknown): void {
    if (!isObject(chunk)) throw new MalformedReplyError('A stream chunk is not a JSON object');
    if (chunk.error !== undefined) throw new MalformedReplyError('The stream carried an error event');
    this.usage = usageOf(chunk.usage) ?? this.usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice: unknown = choices.find((c) => isObject(c) && (c.index ?? 0) === 0);
    if (!isObject(choice)) return;
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {};
    const text = str(delta.content) || str(delta.refusal);
    if (text) {
      this.content += text;
      this.onToken(text);
    }
    if (Array.isArray(delta.tool_calls))
      delta.tool_calls.forEach((d: unknown, position) => this.addCallDelta(d, position));
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
  }

  private addCallDelta(d: unknown, position: number): void {
    if (!isObject(d)) return;
    const index = typeof d.index === 'number' ? d.index : position;
    const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
    this.calls.set(index, call);
    if (str(d.id)) call.id = str(d.id);
    const fn = isObject(d.function) ? d.function : {};
    // The name comes whole in the first fragment; a server repeating it in later ones is tolerated.
    const name = str(fn.name);
    if (name && name !== call.name) call.name += name;
    call.arguments += argumentsText(fn.arguments);
  }

  result(): Completion {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
    return { content: this.content, toolCalls, usage: this.usage, finishReason: this.finishReason };
  }
}

/** A non-streamed reply (`chat.completion`), for servers that ignore `stream`. */
export function completionFromJson(body: unknown, onToken: (content: string) => void): Completion {
  if (!isObject(body) || !Array.isArray(body.choices) || !isObject(body.choices[0]))
    throw new MalformedReplyError('The reply has no choices');
  const acc = new CompletionAccumulator(onToken);
  acc.add({ ...body, choices: [{ ...body.choices[0], index: 0 }] });
  return acc.result();
}

/**
 * The `data:` payloads of a server-sent event stream, in order (several `data:` lines of one event
 * joined by newlines; comments and other fields skipped). `onBytes` runs on every chunk read (the
 * caller's idle timer).
 */
export async function* sseData(
  body: ReadableStream<Uint8Array>,
  onBytes: () => void = () => {},
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes();
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    buffer += decoder.decode();
    if (buffer.startsWith('data:')) data.push(buffer.slice(5).replace(/^ /, ''));
    if (data.length) yield data.join('\n');
  } finally {
    // Also when the caller stopped early ([DONE], an error): the rest of the body is not wanted.
    await reader.cancel().catch(() => {});
  }
}

/** Reads a streamed completion to its end (`[DONE]`, or the body's end after a finish reason). */
export async function completionFromStream(
  body: ReadableStream<Uint8Array>,
  onToken: (content: string) => void,
  onBytes?: () => void,
): Promise<Completion> {
  const acc = new CompletionAccumulator(onToken);
  let done = false;
  for await (const data of sseData(body, onBytes)) {
    if (data.trim() === '[DONE]') {
      done = true;
      break;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new MalformedReplyError('A stream chunk is not JSON');
    }
    acc.add(chunk);
  }
  const result = acc.result();
  if (!done && result.finishReason === undefined)
    throw new MalformedReplyError('The stream ended before the completion did');
  return result;
}
