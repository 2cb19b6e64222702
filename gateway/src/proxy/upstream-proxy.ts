import http from 'node:http';
import { Transform } from 'node:stream';
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
  proxyReq?: http.ClientRequest;
  proxyRes?: http.IncomingMessage;
  failure?: FailureReason;
  timers: NodeJS.Timeout[];
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
    timers: [],
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

/** Forwards requests over pooled keep-alive connections (node:http with a keep-alive Agent), streaming
 * both bodies (multipart uploads and SSE pass through unbuffered), with a connect timeout (502), a
 * response timeout up to the response head (504), and a body limit counted on the stream (413).
 * Written on node:http directly rather than through http-proxy-3: see docs/adr/0009. */
export function createUpstreamProxy(options: UpstreamProxyOptions) {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets,
    maxFreeSockets: 256,
    scheduling: 'lifo',
  });
  /** Open event streams, so draining can end them cleanly instead of cutting them at the deadline. */
  const streams = new Set<State>();

  const clearTimers = (state: State) => {
    for (const t of state.timers) clearTimeout(t);
    state.timers.length = 0;
  };

  const fail = (state: State, reason: FailureReason) => {
    if (state.failure) return;
    state.failure = reason;
    clearTimers(state);
    if (state.proxyReq) state.proxyReq.destroy();
    else settleError(state, undefined);
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
    clearTimers(state);
    const { error, kind } = errorFor(state, err);
    options.onUpstreamError?.(state.request.upstream, kind);
    if (state.failure === 'too_large' && !res.hasHeader('connection')) {
      void discardRest(state.request).then(() => state.reject(error));
      return;
    }
    state.reject(error);
  };

  const onResponse = (state: State, proxyRes: http.IncomingMessage) => {
    const { request } = state;
    const { res } = request;
    clearTimers(state);
    state.proxyRes = proxyRes;
    sanitizeResponseHeaders(proxyRes.headers);
    // The upstream's Vary adds to the gateway's (`Vary: Origin` with a list of CORS origins).
    const vary = res.getHeader('vary');
    if (vary !== undefined && proxyRes.headers.vary)
      proxyRes.headers.vary = `${String(vary)}, ${proxyRes.headers.vary}`;
    if (request.closeConnection()) res.setHeader('Connection', 'close');
    request.onResponse?.(proxyRes.statusCode ?? 0);
    if (String(proxyRes.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      streams.add(state);
      res.once('close', () => streams.delete(state));
    }
    res.once('finish', state.resolve);
    res.once('close', state.resolve);
    // Headers the gateway already set (CORS, request id, rate limits) stay; the upstream's are added.
    res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, proxyRes.headers);
    proxyRes.on('error', (err) => settleError(state, err));
    proxyRes.pipe(res);
  };

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
    state.timers.push(setTimeout(() => fail(state, 'timeout'), request.timeoutMs));
    const proxyReq = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: request.path,
      headers: request.headers,
      agent,
    });
    state.proxyReq = proxyReq;
    proxyReq.on('error', (err) => settleError(state, err));
    proxyReq.on('response', (proxyRes) => onResponse(state, proxyRes));
    proxyReq.on('socket', (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => fail(state, 'connect_timeout'), options.connectTimeoutMs);
      state.timers.push(t);
      socket.once('connect', () => clearTimeout(t));
    });
    // A client that goes away stops the upstream work that only fed it (SSE runs included).
    res.once('close', () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
    if (!hasBody) {
      proxyReq.end();
      return;
    }
    if (expectsContinue(req)) {
      // Accepted: now the client may send the body it announced (createGatewayServer held back
      // Node's automatic answer), and the connection may be kept.
      res.removeHeader('Connection');
      res.writeContinue();
    }
    let seen = 0;
    const counter = new Transform({
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
    req.pipe(counter).pipe(proxyReq);
  }

  return {
    agent,
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
        state.proxyRes?.unpipe(state.request.res);
        state.request.res.end();
        state.proxyReq?.destroy();
      }
      streams.clear();
      return n;
    },
    close(): void {
      agent.destroy();
    },
  };
}

export type UpstreamProxy = ReturnType<typeof createUpstreamProxy>;
