import { ModelRefusedError, ModelUnavailableError, PlannerAbortedError } from '../errors';
import { completionFromJson, completionFromStream, MalformedReplyError, type Completion } from './completion';
import { abortableSleep, MAX_RETRY_DELAY_MS, retryAfterMs, retryDelayMs } from './retry';
import type { ChatRequest } from './wire';

/** What the client logs with (a pino logger fits). */
export interface PlannerLogger {
  warn(context: Record<string, unknown>, message: string): void;
}

export interface ChatClientOptions {
  /** e.g. `https://api.openai.com/v1`; requests go to `${baseUrl}/chat/completions`. */
  baseUrl: string;
  apiKey?: string;
  /** Until the reply's headers, then the longest silence between two chunks of the body. */
  timeoutMs: number;
  /** Retries per model (after the first attempt) on 429, 5xx, network failure and timeout. */
  maxRetries: number;
  retryBaseMs: number;
  fetch?: typeof fetch;
  /** The wait between attempts (tests inject one that returns at once and records the delays). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  logger?: PlannerLogger;
  /** Called after every attempt (the model metrics). */
  onAttempt?: (attempt: { model: string; outcome: AttemptOutcome; seconds: number }) => void;
}

export interface CompleteOptions {
  signal: AbortSignal;
  onToken: (content: string) => void;
}

/** A completion and the model that answered it. */
export interface ModelCompletion extends Completion {
  model: string;
}

/** The OpenAI-compatible chat-completions client of the model planner. */
export interface ChatClient {
  /**
   * Asks `models[0]` (with retries), then each next model (the fallback) when one keeps failing.
   * Throws ModelRefusedError on a 4xx other than 429 (not retried), ModelUnavailableError when every
   * model failed, PlannerAbortedError as soon as `signal` aborts.
   */
  complete(
    models: readonly string[],
    request: (model: string) => ChatRequest,
    options: CompleteOptions,
  ): Promise<ModelCompletion>;
}

/** How one HTTP attempt at the model API ended (the `outcome` label of the model metrics). */
export type AttemptOutcome =
  | 'ok'
  | 'rate_limited'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'malformed_reply'
  | 'refused'
  | 'cancelled';

/** A failed attempt that another attempt may cure. `reason` is for the log only. */
class RetryableFailure extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    readonly reason: string,
    readonly retryAfterMs?: number,
    /** Tokens already reached the user: retrying would repeat them. */
    readonly emitted = false,
  ) {
    super(reason);
  }
}

const BODY_LOG_LIMIT = 500;

export function createChatClient(options: ChatClientOptions): ChatClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const url = `${options.baseUrl}/chat/completions`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream, application/json',
  };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function attempt(body: ChatRequest, { signal, onToken }: CompleteOptions): Promise<Completion> {
    const controller = new AbortController();
    const cancel = () => controller.abort();
    signal.addEventListener('abort', cancel, { once: true });
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const armTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, options.timeoutMs);
    };
    armTimer();
    let emitted = false;
    const emit = (content: string) => {
      // The rest of a chunk read before the abort is not delivered: the run stopped.
      if (signal.aborted) throw new PlannerAbortedError();
      emitted = true;
      onToken(content);
    };
    try {
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch {
        throw timedOut
          ? new RetryableFailure('timeout', 'timed out')
          : new RetryableFailure('network_error', 'network error');
      }
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        const context = { model: body.model, status: res.status, body: text.slice(0, BODY_LOG_LIMIT) };
        if (res.status === 429 || res.status >= 500)
          throw new RetryableFailure(
            res.status === 429 ? 'rate_limited' : 'server_error',
            `HTTP ${res.status}`,
            retryAfterMs(res.headers, now()),
          );
        options.logger?.warn(context, 'Model API refused the request');
        throw new ModelRefusedError(res.status);
      }
      try {
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('application/json')) return completionFromJson(await res.json(), emit);
        if (!res.body) throw new MalformedReplyError('The reply has no body');
        return await completionFromStream(res.body, emit, armTimer);
      } catch (err) {
        if (timedOut) throw new RetryableFailure('timeout', 'timed out', undefined, emitted);
        if (err instanceof MalformedReplyError)
          throw new RetryableFailure('malformed_reply', err.message, undefined, emitted);
        throw new RetryableFailure('network_error', 'stream broke', undefined, emitted);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
    }
  }

  return {
    async complete(models, request, opts) {
      const { signal } = opts;
      for (const [index, model] of models.entries()) {
        for (let retry = 0; ; retry++) {
          if (signal.aborted) throw new PlannerAbortedError();
          const started = now();
          const observe = (outcome: AttemptOutcome) =>
            options.onAttempt?.({ model, outcome, seconds: (now() - started) / 1000 });
          try {
            const completion = await attempt(request(model), opts);
            observe('ok');
            return { ...completion, model };
          } catch (err) {
            observe(signal.aborted ? 'cancelled' : err instanceof RetryableFailure ? err.outcome : 'refused');
            if (signal.aborted) throw new PlannerAbortedError();
            if (!(err instanceof RetryableFailure)) throw err;
            // A server asking for a longer wait than a user should sit through: the next model now.
            const tooLong = (err.retryAfterMs ?? 0) > MAX_RETRY_DELAY_MS;
            const last = retry >= options.maxRetries || tooLong;
            options.logger?.warn(
              { model, attempt: retry + 1, reason: err.reason, will_retry: !last && !err.emitted },
              'Model call failed',
            );
            // Half an answer already streamed to the user: another attempt would repeat it.
            if (err.emitted) throw new ModelUnavailableError();
            if (last) break;
            await sleep(retryDelayMs(retry, options.retryBaseMs, err.retryAfterMs, random), signal);
          }
        }
        if (index + 1 < models.length)
          options.logger?.warn({ model, fallback: models[index + 1] }, 'Switched to the fallback model');
      }
      throw new ModelUnavailableError();
    },
  };
}
