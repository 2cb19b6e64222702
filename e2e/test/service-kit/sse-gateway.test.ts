import http from 'node:http';
import { Router } from '@koa/router';
import pino from 'pino';
import {
  createMetrics,
  createServiceApp,
  lastEventId,
  openSse,
  type ServiceState,
  type SseStream,
} from '@aegis/common';
import {
  listen,
  startGatewayTestbed,
  waitFor,
  type GatewayTestbed,
  type RunningGateway,
} from '@aegis/testing';

/** `openSse` (spec §7) behind the gateway process, as a browser's EventSource uses it: only the
 * aegis_token cookie, events arriving while the stream stays open (nothing buffers them), the resume
 * point forwarded, and a client disconnect reaching the service. */
describe('openSse through the gateway', () => {
  let bed: GatewayTestbed;
  let gw: RunningGateway;
  let service: { url: string; close(): Promise<void> };
  const streams: SseStream[] = [];
  const resumedFrom: (string | undefined)[] = [];

  beforeAll(async () => {
    const router = new Router<ServiceState>();
    router.get('/events/stream', (ctx) => {
      resumedFrom.push(lastEventId(ctx));
      streams.push(openSse(ctx, { heartbeatMs: 200 }));
    });
    const app = createServiceApp({
      name: 'sse-upstream',
      logger: pino({ level: 'silent' }),
      metrics: createMetrics('sse-upstream'),
      ready: () => ({ ok: true }),
      routers: [router],
    });
    service = await listen(app);
    bed = await startGatewayTestbed();
    gw = await bed.startGateway({ services: { 'flaring-monitor': service.url } });
  }, 120_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await bed?.stop();
    await service?.close();
  });

  /** Opens the stream through the gateway with the cookie only; collects what arrives. */
  const connect = async (headers: Record<string, string> = {}) => {
    const cookie = `aegis_token=${await bed.token()}`;
    let text = '';
    const req = http.get(`${gw.url}/api/v1/events/stream`, { headers: { cookie, ...headers } });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    return { res, text: () => text, abort: () => req.destroy() };
  };

  it('delivers each event while the stream stays open, with the cookie only', async () => {
    const before = streams.length;
    const client = await connect();
    expect(client.res.statusCode).toBe(200);
    expect(client.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const stream = await waitFor('the service stream', async () => streams[before]);
    const sentAt = Date.now();
    stream.send({ id: '7', event_type: 'flare_event', data: { well_id: '42-389-00001-00-00' } });
    await waitFor('the event through the gateway', async () =>
      client.text().includes('"event_type":"flare_event"}\n\n'),
    );
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    expect(client.text()).toContain('id: 7\nevent: flare_event\ndata: {"well_id":"42-389-00001-00-00"');
    await waitFor('a heartbeat through the gateway', async () => client.text().includes(': ping\n\n'));
    client.abort();
  });

  it('forwards Last-Event-ID, and a client disconnect closes the service’s stream', async () => {
    const before = streams.length;
    const client = await connect({ 'Last-Event-ID': '41' });
    const stream = await waitFor('the service stream', async () => streams[before]);
    expect(resumedFrom[before]).toBe('41');
    client.abort();
    await Promise.race([
      stream.closed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('stream not closed')), 5_000)),
    ]);
  });
});
