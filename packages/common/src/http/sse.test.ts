import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import pino from 'pino';
import { createMetrics } from './metrics';
import type { ServiceState } from './state';
import { createServiceApp } from '../service/app';
import { formatSseEvent, lastEventId, lastEventSeq, openSse, seqLogPump, type SseStream } from './sse';

/** An SSE client over a raw http request: the status, the headers and the text received so far. */
function connect(base: string, path: string, headers: Record<string, string> = {}) {
  let text = '';
  const req = http.get(`${base}${path}`, { headers });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      resolve(res);
    });
    req.on('error', reject);
  });
  const waitFor = async (needle: string, timeoutMs = 3_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!text.includes(needle)) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${needle}; got ${text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return text;
  };
  return { response, waitFor, text: () => text, abort: () => req.destroy() };
}

describe('openSse', () => {
  const streams: SseStream[] = [];
  let server: http.Server;
  let base: string;
  let resumeFrom: (string | undefined)[] = [];

  beforeAll(async () => {
    const router = new Router<ServiceState>();
    router.get('/stream', (ctx) => {
      resumeFrom.push(lastEventId(ctx));
      streams.push(openSse(ctx, { heartbeatMs: 50 }));
    });
    const app = createServiceApp({
      name: 'sse-test',
      logger: pino({ level: 'silent' }),
      metrics: createMetrics('sse-test'),
      ready: () => ({ ok: true }),
      routers: [router],
    });
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
    resumeFrom = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('answers 200 text/event-stream with caching and proxy buffering off, headers sent at once', async () => {
    const client = connect(base, '/stream');
    const res = await client.response;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.headers['content-length']).toBeUndefined();
    client.abort();
  });

  it('frames each event with id, event and data whose JSON carries event_type', async () => {
    const client = connect(base, '/stream');
    await client.response;
    await client.waitFor(': connected');
    expect(streams[0].send({ id: '41', event_type: 'flare_event', data: { well_id: 'w1', volume: 3 } })).toBe(
      true,
    );
    const text = await client.waitFor('"event_type":"flare_event"}\n\n');
    expect(text).toContain(
      'id: 41\nevent: flare_event\ndata: {"well_id":"w1","volume":3,"event_type":"flare_event"}\n\n',
    );
    client.abort();
  });

  it('writes `: ping` heartbeats while idle', async () => {
    const client = connect(base, '/stream');
    await client.response;
    await client.waitFor(': ping\n\n');
    client.abort();
  });

  it('resolves closed and stops writing when the client disconnects', async () => {
    const client = connect(base, '/stream');
    await client.response;
    await client.waitFor(': connected');
    client.abort();
    await streams[0].closed;
    expect(streams[0].send({ id: '1', event_type: 'x', data: {} })).toBe(false);
  });

  it('ends the response when the server closes the stream', async () => {
    const client = connect(base, '/stream');
    const res = await client.response;
    await client.waitFor(': connected');
    streams[0].close();
    await once(res, 'end');
    await streams[0].closed;
  });

  it('reads the resume point from Last-Event-ID, else ?last_event_id', async () => {
    const a = connect(base, '/stream', { 'Last-Event-ID': '17' });
    await a.response;
    const b = connect(base, '/stream?last_event_id=9');
    await b.response;
    const c = connect(base, '/stream');
    await c.response;
    expect(resumeFrom).toEqual(['17', '9', undefined]);
    for (const client of [a, b, c]) client.abort();
  });
});

describe('formatSseEvent', () => {
  it('refuses line breaks in the framing fields, which would inject fields or events', () => {
    expect(() => formatSseEvent({ id: '1\nevent: x', event_type: 'a', data: {} })).toThrow(TypeError);
    expect(() => formatSseEvent({ id: '1', event_type: 'a\r', data: {} })).toThrow(TypeError);
  });

  it('keeps a line break inside the data on one data line (JSON escapes it)', () => {
    expect(formatSseEvent({ id: '1', event_type: 'note', data: { text: 'a\nb' } })).toBe(
      'id: 1\nevent: note\ndata: {"text":"a\\nb","event_type":"note"}\n\n',
    );
  });
});

describe('lastEventSeq', () => {
  const ctxOf = (header: string, query: Record<string, string> = {}) =>
    ({ get: () => header, query }) as unknown as Parameters<typeof lastEventSeq>[0];

  it('reads the seq a client resumes after, from the header or the query', () => {
    expect(lastEventSeq(ctxOf('42'))).toBe(42);
    expect(lastEventSeq(ctxOf('', { last_event_id: '0' }))).toBe(0);
    expect(lastEventSeq(ctxOf(''))).toBeUndefined();
  });

  it('refuses an id no seq-numbered stream sends with a 422 on the header', () => {
    for (const id of ['-1', '01', 'abc', '1.5']) {
      expect(() => lastEventSeq(ctxOf(id))).toThrow(
        expect.objectContaining({
          status: 422,
          detail: [expect.objectContaining({ loc: ['header', 'Last-Event-ID'] })],
        }),
      );
    }
  });
});

describe('seqLogPump', () => {
  const fakeSse = () => {
    const sent: string[] = [];
    let open = true;
    const sse: SseStream = {
      send: (e) => (open ? (sent.push(e.id), true) : false),
      closed: new Promise(() => undefined),
      close: () => (open = false),
    };
    return { sse, sent };
  };

  it('sends every entry after the start once, in order, and a call during a pass reads again', async () => {
    const log = [1, 2, 3];
    const { sse, sent } = fakeSse();
    const pump = seqLogPump<number>({
      sse,
      after: 1,
      read: (after, limit) => Promise.resolve(log.filter((s) => s > after).slice(0, limit)),
      seqOf: (s) => s,
      eventOf: (s) => ({ id: String(s), event_type: 'x', data: {} }),
      onError: () => undefined,
      batch: 1,
    });
    const first = pump();
    log.push(4);
    const second = pump();
    expect(second).toBe(first);
    await second;
    expect(sent).toEqual(['2', '3', '4']);
    await pump();
    expect(sent).toEqual(['2', '3', '4']);
  });

  it('closes the stream when a read fails', async () => {
    const { sse, sent } = fakeSse();
    const errors: unknown[] = [];
    const pump = seqLogPump<number>({
      sse,
      after: 0,
      read: () => Promise.reject(new Error('db down')),
      seqOf: (s) => s,
      eventOf: (s) => ({ id: String(s), event_type: 'x', data: {} }),
      onError: (err) => errors.push(err),
    });
    await pump();
    expect(errors).toHaveLength(1);
    expect(sse.send({ id: '1', event_type: 'x', data: {} })).toBe(false);
    expect(sent).toEqual([]);
  });
});
