import type http from 'node:http';
import { Transform } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import {
  AppError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UpstreamError,
  UpstreamTimeoutError,
} from '@aegis/common';
import { expectsContinue, sanitizeResponseHeaders } from './forwarding';

export interface ForwardRequest {
  /** Service name, for metrics and logs. */
  upstream: string;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  target: URL;
  /** Upstream path with query string. */
  path: string;
  headers: http.OutgoingHttpHeaders;
  maxBodyBytes: number;
  timeoutMs: number;
  /** Ask the client to close its connection after this response (draining). */
  closeConnection: () => boolean;
  /** Called with the upstream status before the response is relayed. */
  onResponse?: (status: number) => void;
}

export type FailureReason = 'connect_timeout' | 'timeout' | 'too_large';

export interface UpstreamProxyOptions {
  connectTimeoutMs: number;
  maxSockets: number;
  onUpstreamError?: (upstream: string, kind: string) => void;
}

interface State {
  request: ForwardRequest;
  /** The upstream exchange once undici started it (it may wait in the pool's queue first). */
  controller?: Dispatcher.DispatchController;
  /** Why the exchange is to be aborted as soon as it starts (it was given up while queued). */
  abortWhenStarted?: Error;
  failure?: FailureReason;
  timer?: NodeJS.Timeout;
  /** The response was ended by `endStreams` (draining): later upstream data is dropped. */
  ended: boolean;
  /** The upstream's response head was relayed: the exchange is over when the response closes. */
  relaying: boolean;
  settled: boolean;
  /** Whether `done` was called: only its first call counts. */
  finished: boolean;
  done: (error?: AppError) => void;
  resolve: () => void;
  reject: (err: AppError) => void;
}

/** Called once when a forwarded request is over: without an error when the response was relayed (or
 * cut after it had started), with the error the gateway answers otherwise. */
export type ForwardDone = (error?: AppError) => void;

function stateOf(request: ForwardRequest, done: ForwardDone): State {
  const state: State = {
    request,
    ended: false,
    relaying: false,
    settled: false,
    finished: false,
    done,
    resolve: () => {
      if (state.finished) return;
      state.finished = true;
      state.done();
    },
    reject: (err: AppError) => {
      if (state.finished) return;
      state.finished = true;
      state.done(err);
    },
  };
  return state;
}

/** Response headers as node:http's client gives them (`IncomingMessage.headers`): undici lists every
 * repeated header as an array; node:http keeps the first of the single-valued ones, joins `cookie`
 * with `; ` and the others with `, `, and keeps `set-cookie` as an array. */
const FIRST_ONLY = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

export function nodeResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): http.IncomingHttpHeaders {
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (!Array.isArray(value) || name === 'set-cookie') continue;
    headers[name] = FIRST_ONLY.has(name) ? value[0] : value.join(name === 'cookie' ? '; ' : ', ');
  }
  return headers;
}

function errorFor(state: State, err: NodeJS.ErrnoException | undefined): { error: AppError; kind: string } {
  switch (state.failure) {
    case 'timeout':
      return { error: new UpstreamTimeoutError('Upstream service timed out'), kind: 'timeout' };
    case 'connect_timeout':
      return {
        error: new UpstreamError('Upstream service did not accept the connection in time'),
        kind: 'connect_timeout',
      };
    case 'too_large':
      return {
        error: new PayloadTooLargeError(`Request body exceeds ${state.request.maxBodyBytes} bytes`),
        kind: 'too_large',
      };
    default:
      if (err?.code === 'ECONNREFUSED') {
        return {
          error: new ServiceUnavailableError('Service is not running', 'service_unavailable', {
            'Retry-After': '5',
          }),
          kind: 'refused',
        };
      }
      return {
        error: new UpstreamError('Upstream service unreachable or reset the connection'),
        kind: 'reset',
      };
  }
}

/** Before a 413 for a streamed body, the rest of the body is read and dropped (up to a cap in bytes
 * and time) so a client still sending reads the answer instead of failing on a reset socket: Node
 * closes the connection after a response to an unfinished request. Resolves when the answer can go. */
function discardRest(request: ForwardRequest): Promise<void> {
  const { req } = request;
  const cap = Math.max(request.maxBodyBytes, DISCARD_CAP_BYTES);
  let dropped = 0;
  req.unpipe();
  return new Promise<void>((resolve) => {
    if (req.readableEnded) return resolve();
    const timer = setTimeout(resolve, DISCARD_MAX_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > cap) done();
    });
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}

const DISCARD_MAX_MS = 10_000;
const DISCARD_CAP_BYTES = 8 * 1024 * 1024;

/** Forwards requests over pooled keep-alive connections (an undici `Pool` per upstream origin),
 * streaming both bodies (multipart uploads and SSE pass through unbuffered), with a connect timeout
 * (502), a response timeout up to the response head (504), and a body limit counted on the stream
 * (413). undici rather than node:http's client: the gateway's CPU per proxied request fell by about a
 * third with it (docs/adr/0025, second round). Written on the client directly rather than through a
 * proxy library: see docs/adr/0009. */
export function createUpstreamProxy(options: UpstreamProxyOptions) {
  const pools = new Map<string, Pool>();
  const poolFor = (target: URL): Pool => {
    let pool = pools.get(target.origin);
    if (!pool) {
      pool = new Pool(target.origin, {
        connections: options.maxSockets,
        connect: { timeout: options.connectTimeoutMs },
        // The gateway's own timer bounds the wait for the response head (from the start, upload
        // included); after the head nothing is timed: an event stream may stay quiet for long.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      pools.set(target.origin, pool);
    }
    return pool;
  };
  /** Open event streams, so draining can end them cleanly instead of cutting them at the deadline. */
  const streams = new Set<State>();

  const clearTimer = (state: State) => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
  };

  /** Stops the upstream exchange (now, or as soon as undici starts it). */
  const abort = (state: State, reason: Error) => {
    if (state.controller) state.controller.abort(reason);
    else state.abortWhenStarted ??= reason;
  };

  const fail = (state: State, reason: FailureReason) => {
    if (state.failure) return;
    state.failure = reason;
    clearTimer(state);
    const started = state.controller !== undefined;
    abort(state, new Error(reason));
    if (!started) settleError(state, undefined);
  };

  const settleError = (state: State, err: NodeJS.ErrnoException | undefined) => {
    const { res } = state.request;
    if (res.writableEnded) {
      state.resolve();
      return;
    }
    if (res.headersSent) {
      // The response had started: the only honest signal left is to cut the stream.
      res.destroy();
      state.resolve();
      return;
    }
    if (state.settled) return;
    state.settled = true;
    clearTimer(state);
    if (!state.failure && err?.code === 'UND_ERR_CONNECT_TIMEOUT') state.failure = 'connect_timeout';
    const { error, kind } = errorFor(state, err);
    options.onUpstreamError?.(state.request.upstream, kind);
    if (state.failure === 'too_large' && !res.hasHeader('connection')) {
      void discardRest(state.request).then(() => state.reject(error));
      return;
    }
    state.reject(error);
  };

  /** The undici handler of one exchange: relays the response head and body to the client. */
  const handlerOf = (state: State): Dispatcher.DispatchHandler => ({
    onRequestStart(controller) {
      state.controller = controller;
      if (state.abortWhenStarted) controller.abort(state.abortWhenStarted);
    },
    onResponseStart(_controller, statusCode, rawHeaders, statusMessage) {
      const { request } = state;
      const { res } = request;
      clearTimer(state);
      const headers = nodeResponseHeaders(rawHeaders);
      sanitizeResponseHeaders(headers);
      // The upstream's Vary adds to the gateway's (`Vary: Origin` with a list of CORS origins).
      const vary = res.getHeader('vary');
      if (vary !== undefined && headers.vary) headers.vary = `${String(vary)}, ${headers.vary}`;
      if (request.closeConnection()) res.setHeader('Connection', 'close');
      request.onResponse?.(statusCode);
      if (String(headers['content-type'] ?? '').startsWith('text/event-stream')) streams.add(state);
      state.relaying = true;
      // Headers the gateway already set (CORS, request id, rate limits) stay; the upstream's are added.
      res.writeHead(statusCode, statusMessage, headers);
    },
    onResponseData(controller, chunk) {
      const { res } = state.request;
      if (state.ended || res.destroyed) return;
      if (!res.write(chunk)) {
        controller.pause();
        res.once('drain', () => controller.resume());
      }
    },
    onResponseEnd() {
      const { res } = state.request;
      if (!state.ended && !res.destroyed) res.end();
    },
    onResponseError(_controller, err) {
      settleError(state, err);
    },
  });

  /** Starts forwarding `request`; `done` is called once when it is over. */
  function send(request: ForwardRequest, done: ForwardDone): void {
    const state = stateOf(request, done);
    const { req, res, target } = request;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > request.maxBodyBytes) {
      // Nothing was read: refuse at once and close the connection rather than read a body we
      // already know is too large.
      res.setHeader('Connection', 'close');
      state.failure = 'too_large';
      settleError(state, undefined);
      return;
    }
    const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
    state.timer = setTimeout(() => fail(state, 'timeout'), request.timeoutMs);
    // One listener: a client that goes away stops the upstream work that only fed it (SSE runs
    // included); a relayed response is over once its connection is done with it (after `finish`).
    res.once('close', () => {
      if (!res.writableFinished) abort(state, new Error('client closed the connection'));
      if (state.relaying) {
        streams.delete(state);
        state.resolve();
      }
    });
    let body: Transform | null = null;
    if (hasBody) {
      if (expectsContinue(req)) {
        // Accepted: now the client may send the body it announced (createGatewayServer held back
        // Node's automatic answer), and the connection may be kept.
        res.removeHeader('Connection');
        res.writeContinue();
      }
      let seen = 0;
      body = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          if (seen > request.maxBodyBytes) {
            fail(state, 'too_large');
            cb();
            return;
          }
          cb(null, chunk);
        },
      });
      req.on('error', (err) => settleError(state, err));
      req.pipe(body);
    }
    poolFor(target).dispatch(
      {
        origin: target.origin,
        method: req.method as Dispatcher.HttpMethod,
        path: request.path,
        headers: request.headers as Record<string, string | string[]>,
        body,
      },
      handlerOf(state),
    );
  }

  return {
    send,
    /** `send` as a promise: resolves when the response was relayed, rejects with the error to answer. */
    forward(request: ForwardRequest): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        send(request, (error) => (error ? reject(error) : resolve()));
      });
    },
    /** Ends every open event stream: the client sees the stream end normally (and may reconnect to
     * another replica with Last-Event-ID). */
    endStreams(): number {
      const n = streams.size;
      for (const state of streams) {
        state.ended = true;
        state.request.res.end();
        abort(state, new Error('draining'));
      }
      streams.clear();
      return n;
    },
    close(): void {
      for (const pool of pools.values()) void pool.destroy().catch(() => undefined);
      pools.clear();
    },
  };
}

export type UpstreamProxy = ReturnType<typeof createUpstreamProxy>;
