import type http from 'node:http';
import { listen } from './listen';

/** A tool call a scripted reply makes. `arguments` as an object is serialised; as a string it is sent
 * as is (so a test can send malformed JSON). */
export interface ScriptedToolCall {
  /** Default `call_<n>`. */
  id?: string;
  name: string;
  arguments: Record<string, unknown> | string;
}

/** One scripted answer of `POST …/chat/completions`. */
export interface ScriptedReply {
  /** Answers only a request for this model (the first queued reply that fits is taken). */
  model?: string;
  /** Default 200. Any other status sends `body` (default an OpenAI-style error object). */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
  /** The body of a non-200 reply (an object is sent as JSON, a string as is). */
  body?: unknown;
  /** The assistant's text (streamed in deltas of `chunkSize` characters). */
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: estimated from the request and the reply (characters / 4); `null`: no usage at all. A
   * streamed reply carries it only when the request asked (`stream_options.include_usage`), like the
   * real API. */
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens?: number } | null;
  /** Default: as the request asks (`stream`); `false` answers one JSON body even to a stream request
   * (a server that ignores `stream`). */
  stream?: boolean;
  /** Characters per content delta and per argument fragment of a streamed reply; default 8. */
  chunkSize?: number;
  /** Writes the streamed body in pieces of this many bytes (cutting lines and UTF-8 characters), to
   * exercise a client's buffering; default one write per event. */
  writeBytes?: number;
  /** Default `tool_calls` when there are calls, else `stop`. */
  finishReason?: string;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Never answers (a client timeout); the socket is dropped on `close()`. */
  hang?: boolean;
  /** Destroys the connection without an answer (a network error). */
  drop?: boolean;
  /** Streams this many events, then destroys the connection (a stream broken midway). */
  dropAfterEvents?: number;
  /** Streams this many events, then holds the connection open without another byte (a model that
   * stalls mid-answer: tokens reached the client, the run is still going; cancel it now). */
  hangAfterEvents?: number;
  /** Waits this long between two streamed events (tokens arriving over time). */
  eventDelayMs?: number;
}

/** A reply, or a function of the request that makes one (answers that depend on what was asked). */
export type ScriptedAnswer = ScriptedReply | ((request: RecordedLlmRequest) => ScriptedReply);

export interface RecordedLlmRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: ChatCompletionRequestBody;
  /** What the server answered: the status, or `drop` / `hang`. */
  answered?: number | 'drop' | 'hang';
}

/** The fields of a chat-completions request a test usually asserts on. */
export interface ChatCompletionRequestBody extends Record<string, unknown> {
  model?: string;
  messages?: Record<string, unknown>[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  temperature?: number;
}

export interface ScriptedLlmOptions {
  /** Answers a request when no queued reply fits. Default: a 400 error naming the model (a 4xx so the
   * client does not retry: a test that runs out of replies fails fast and visibly). */
  defaultReply?: ScriptedAnswer;
}

/**
 * A scripted OpenAI-compatible chat-completions server on a free loopback port, for tests of the model
 * planner and end-to-end tests of the orchestration (set `LLM_BASE_URL` to `url`).
 *
 * ```ts
 * const llm = await startScriptedLlm({ defaultReply: { content: 'Done.' } });
 * llm.enqueue(
 *   { toolCalls: [{ name: 'flaring_assess', arguments: { well_api: '42-123-45678' } }] },
 *   { status: 429, headers: { 'retry-after': '0' } },
 *   { content: 'The well is within its authorisation.', usage: { prompt_tokens: 900, completion_tokens: 40 } },
 * );
 * // … run the planner against llm.url …
 * expect(llm.requests[0].body.tools?.map((t) => t.function.name)).toContain('flaring_assess');
 * await llm.close();
 * ```
 *
 * `POST <url>/chat/completions` takes the first queued reply whose `model` fits the request (or has
 * none), else the default reply. Streamed replies follow the real API: a role delta, content deltas,
 * tool-call deltas by index (id and name first, then argument fragments), a finish chunk, a usage
 * chunk when asked, `data: [DONE]`. `GET <url>/models` lists the models named in the queue. Every
 * request is recorded (`requests`) for assertions.
 */
export interface ScriptedLlm {
  /** The base URL to configure (`http://127.0.0.1:<port>/v1`). */
  url: string;
  /** Every request received, in order. */
  requests: RecordedLlmRequest[];
  /** Requests to `/chat/completions` only. */
  readonly completions: RecordedLlmRequest[];
  /** Adds replies at the end of the queue. */
  enqueue(...replies: ScriptedAnswer[]): void;
  /** Replies still queued. */
  readonly pending: number;
  /** Replaces the default reply (undefined: back to the 400). */
  setDefaultReply(reply: ScriptedAnswer | undefined): void;
  /** Empties the queue and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_CHUNK = 8;

const estimate = (text: string) => Math.ceil(text.length / 4);

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): ChatCompletionRequestBody {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as ChatCompletionRequestBody) : {};
  } catch {
    return {};
  }
}

/** The reply's tool calls in the API's shape (arguments as a string). */
function wireCalls(reply: ScriptedReply, serial: number) {
  return (reply.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${serial}_${i}`,
    type: 'function' as const,
    function: {
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
}

function usageOf(reply: ScriptedReply, request: ChatCompletionRequestBody, output: string) {
  if (reply.usage === null) return undefined;
  const u = reply.usage ?? {
    prompt_tokens: estimate(JSON.stringify(request.messages ?? [])),
    completion_tokens: estimate(output),
  };
  return { ...u, total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens };
}

/** The data events of a streamed reply, in the order the API sends them. */
function streamEvents(reply: ScriptedReply, request: ChatCompletionRequestBody, serial: number): string[] {
  const id = `chatcmpl-${serial}`;
  const model = request.model ?? 'scripted';
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: 0,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
  const size = reply.chunkSize ?? DEFAULT_CHUNK;
  const calls = wireCalls(reply, serial);
  const events = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces(reply.content ?? '', size)) events.push(chunk({ content: piece }));
  calls.forEach((c, index) => {
    events.push(
      chunk({
        tool_calls: [
          { index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of pieces(c.function.arguments, size))
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk({}, reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop')));
  const output = (reply.content ?? '') + calls.map((c) => c.function.name + c.function.arguments).join('');
  const usage = usageOf(reply, request, output);
  if (usage && request.stream_options?.include_usage)
    events.push(
      JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage }),
    );
  events.push('[DONE]');
  return events;
}

function jsonReply(reply: ScriptedReply, request: ChatCompletionRequestBody, serial: number) {
  const calls = wireCalls(reply, serial);
  const output = (reply.content ?? '') + calls.map((c) => c.function.name + c.function.arguments).join('');
  const usage = usageOf(reply, request, output);
  return {
    id: `chatcmpl-${serial}`,
    object: 'chat.completion',
    created: 0,
    model: request.model ?? 'scripted',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content ?? (calls.length ? null : ''),
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop'),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a {@link ScriptedLlm} on 127.0.0.1 at a port the OS picks. */
export async function startScriptedLlm(options: ScriptedLlmOptions = {}): Promise<ScriptedLlm> {
  let queue: ScriptedAnswer[] = [];
  const requests: RecordedLlmRequest[] = [];
  let defaultReply = options.defaultReply;
  let serial = 0;
  const hanging = new Set<http.ServerResponse>();

  const fits = (answer: ScriptedAnswer, model: string | undefined) =>
    typeof answer === 'function' || answer.model === undefined || answer.model === model;

  async function answer(req: http.IncomingMessage, res: http.ServerResponse) {
    const text = await readBody(req);
    const record: RecordedLlmRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: parseJson(text),
    };
    requests.push(record);
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path.endsWith('/models')) {
      const names = [
        ...new Set(queue.flatMap((a) => (typeof a === 'function' || !a.model ? [] : [a.model]))),
      ];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: names.map((id) => ({ id, object: 'model' })) }));
      return;
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      record.answered = 404;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error' } }));
      return;
    }
    const body = record.body;
    const index = queue.findIndex((a) => fits(a, body.model));
    const picked = index >= 0 ? queue.splice(index, 1)[0] : defaultReply;
    const reply: ScriptedReply = (typeof picked === 'function' ? picked(record) : picked) ?? {
      status: 400,
      body: {
        error: {
          message: `scripted-llm: no scripted reply left for model ${String(body.model)}`,
          type: 'scripted_llm_exhausted',
        },
      },
    };
    serial++;
    if (reply.delayMs) await wait(reply.delayMs);
    if (reply.drop) {
      record.answered = 'drop';
      req.socket.destroy();
      return;
    }
    if (reply.hang) {
      record.answered = 'hang';
      hanging.add(res);
      return;
    }
    const status = reply.status ?? 200;
    record.answered = status;
    if (status !== 200) {
      const errorBody = reply.body ?? { error: { message: `scripted status ${status}`, type: 'scripted' } };
      const isText = typeof errorBody === 'string';
      res.writeHead(status, {
        'content-type': isText ? 'text/plain' : 'application/json',
        ...reply.headers,
      });
      res.end(isText ? errorBody : JSON.stringify(errorBody));
      return;
    }
    if (!(reply.stream ?? body.stream === true)) {
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(jsonReply(reply, body, serial)));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...reply.headers,
    });
    const events = streamEvents(reply, body, serial);
    const limit = Math.min(
      reply.dropAfterEvents ?? Infinity,
      reply.hangAfterEvents ?? Infinity,
      events.length,
    );
    const sent = events.slice(0, limit).map((e) => `data: ${e}\n\n`);
    const step = reply.writeBytes ?? 0;
    if (step > 0) {
      const bytes = Buffer.from(sent.join(''), 'utf8');
      for (let i = 0; i < bytes.length; i += step) {
        res.write(bytes.subarray(i, i + step));
        await wait(0);
      }
    } else
      for (const e of sent) {
        res.write(e);
        if (reply.eventDelayMs) await wait(reply.eventDelayMs);
      }
    if (limit === events.length) {
      res.end();
      return;
    }
    if (reply.hangAfterEvents !== undefined && limit === reply.hangAfterEvents) {
      hanging.add(res);
      return;
    }
    // Let the written events reach the client before the connection breaks.
    await wait(5);
    req.socket.destroy();
  }

  const server = await listen((req, res) => {
    answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  return {
    url: `${server.url}/v1`,
    requests,
    get completions() {
      return requests.filter((r) => r.url.split('?')[0].endsWith('/chat/completions'));
    },
    enqueue(...replies) {
      queue.push(...replies);
    },
    get pending() {
      return queue.length;
    },
    setDefaultReply(reply) {
      defaultReply = reply;
    },
    reset() {
      queue = [];
      requests.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      await server.close();
    },
  };
}
