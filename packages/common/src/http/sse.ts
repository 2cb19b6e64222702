import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import { z } from 'zod';
import { ValidationError } from '../errors';

/** One server-sent event (spec §7): `id:` for resuming, `event: <event_type>`, and `data:` whose JSON
 * carries `event_type` too, so clients that listen by type and clients that read `onmessage` both work. */
export interface SseEvent {
  id: string;
  event_type: string;
  data: Record<string, unknown>;
}

export interface SseOptions {
  /** Interval of the `: ping` comment (spec §7: at least every 15 s, so idle proxies keep the stream). */
  heartbeatMs?: number;
  /** A client that lets this many bytes pile up unread is disconnected rather than buffered forever. */
  maxBufferedBytes?: number;
}

export interface SseStream {
  /** Writes one event; false when the stream is already closed (nothing written). */
  send(e: SseEvent): boolean;
  /** Resolves when the stream ends: client disconnect, close(), or a client too slow to keep up. */
  closed: Promise<void>;
  /** Ends the stream from the server side. */
  close(): void;
}

/** Spec §7: a heartbeat at least every 15 s. */
export const SSE_HEARTBEAT_MS = 15_000;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const LINE_BREAK = /[\r\n]/;

/** The wire form of one event. `id` and `event_type` must be single-line (they are framing); the JSON of
 * `data` never contains a raw line break. */
export function formatSseEvent(e: SseEvent): string {
  if (LINE_BREAK.test(e.id) || LINE_BREAK.test(e.event_type)) {
    throw new TypeError('SSE id and event_type must not contain line breaks');
  }
  const data = JSON.stringify({ ...e.data, event_type: e.event_type });
  return `id: ${e.id}\nevent: ${e.event_type}\ndata: ${data}\n\n`;
}

/**
 * Turns the response of `ctx` into a server-sent event stream. The body is a stream Koa pipes to the
 * socket, so the middleware before the handler (request id, log, metrics) is untouched; the headers
 * switch off caching and proxy buffering (`X-Accel-Buffering: no`), and a first comment line sends
 * them at once. Heartbeats stop and `closed` resolves when the client goes away.
 */
export function openSse(ctx: Context, opts: SseOptions = {}): SseStream {
  const heartbeatMs = opts.heartbeatMs ?? SSE_HEARTBEAT_MS;
  const maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const body = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.req.socket.setKeepAlive(true);
  ctx.status = 200;
  ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('Connection', 'keep-alive');
  ctx.set('X-Accel-Buffering', 'no');
  ctx.body = body;

  let isClosed = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const finish = (): void => {
    if (isClosed) return;
    isClosed = true;
    clearInterval(heartbeat);
    ctx.res.off('close', finish);
    if (!body.destroyed) body.end();
    resolveClosed();
  };
  const write = (chunk: string): boolean => {
    if (isClosed) return false;
    body.write(chunk);
    if (body.writableLength > maxBuffered) {
      // The client stopped reading: drop it instead of growing the buffer without bound.
      finish();
      ctx.res.destroy();
      return false;
    }
    return true;
  };
  const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
  heartbeat.unref();
  // The response's `close` is the disconnect signal (the request's fires once its body is consumed).
  ctx.res.on('close', finish);
  body.on('close', finish);
  write(': connected\n\n');

  return {
    send: (e) => write(formatSseEvent(e)),
    closed,
    close: finish,
  };
}

/** Where a reconnecting client asks to resume: the `Last-Event-ID` header (what EventSource sends), else
 * `?last_event_id=` (for clients that cannot set headers). Undefined when neither is given or empty. */
export function lastEventId(ctx: Context): string | undefined {
  const header = ctx.get('Last-Event-ID').trim();
  if (header.length > 0) return header;
  const query = ctx.query.last_event_id;
  const value = (Array.isArray(query) ? query[0] : query)?.trim();
  return value && value.length > 0 ? value : undefined;
}

/** The id of an event of a stream numbered by a sequence (a stored log's seq): a non-negative integer. */
export const SSE_SEQ_PATTERN = /^(0|[1-9][0-9]{0,15})$/;

/** The declared query and 200 response of a route streaming a seq-numbered log, for `api.route`:
 * `...seqStreamRoute` beside its path, summary and handler. */
export const seqStreamRoute = {
  query: z.object({
    last_event_id: z
      .string()
      .regex(SSE_SEQ_PATTERN)
      .optional()
      .describe('Alternative to the Last-Event-ID header'),
  }),
  responses: {
    200: {
      description: 'An event stream',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
  },
} as const;

/** The seq a reconnecting client of a seq-numbered stream resumes after (`lastEventId`), undefined when
 * it gives none; a 422 on the `Last-Event-ID` header for an id no such stream sends. */
export function lastEventSeq(ctx: Context): number | undefined {
  const id = lastEventId(ctx);
  if (id === undefined) return undefined;
  if (!SSE_SEQ_PATTERN.test(id))
    throw ValidationError.single(['header', 'Last-Event-ID'], 'must be an event id from this stream');
  return Number(id);
}

export interface SeqLogPumpOptions<E> {
  sse: SseStream;
  /** The stored entries after `after`, oldest first, at most `limit`. */
  read(after: number, limit: number): Promise<E[]>;
  /** The event an entry is sent as; its `id` is the entry's seq. */
  eventOf(entry: E): SseEvent;
  seqOf(entry: E): number;
  /** The last seq the client has (sent from the next one on). */
  after: number;
  /** Called after each entry is sent (e.g. to end the stream at a terminal event). */
  sent?(entry: E): void;
  /** A read failed: the stream is closed after this. */
  onError(err: unknown): void;
  /** Entries per read (default 500). */
  batch?: number;
}

/**
 * The reader of a stream of a seq-numbered stored log (`seqStreamRoute`): each call sends every entry
 * stored after the last one sent, in order. Wake it on every write it should deliver (and on a poll
 * timer for writes of other replicas); a call during a pass makes that pass read again and returns
 * its promise, so awaiting a call means everything stored before it has been sent.
 */
export function seqLogPump<E>(opts: SeqLogPumpOptions<E>): () => Promise<void> {
  const batchSize = opts.batch ?? 500;
  let after = opts.after;
  let current: Promise<void> | undefined;
  let again = false;
  const pass = async (): Promise<void> => {
    try {
      do {
        again = false;
        let batch: E[];
        do {
          batch = await opts.read(after, batchSize);
          for (const entry of batch) {
            if (!opts.sse.send(opts.eventOf(entry))) return;
            after = opts.seqOf(entry);
            opts.sent?.(entry);
          }
        } while (batch.length === batchSize);
      } while (again);
    } catch (err) {
      opts.onError(err);
      opts.sse.close();
    } finally {
      current = undefined;
    }
  };
  return () => {
    if (current) {
      again = true;
      return current;
    }
    current = pass();
    return current;
  };
}
