import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Router } from '@koa/router';
import pino from 'pino';
import { AppError } from '../errors';
import { createMetrics } from '../http/metrics';
import type { ServiceState } from '../http/state';
import { createServiceApp, rawPathMatcher } from './app';

/** Log lines the app wrote, parsed. */
function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('createServiceApp', () => {
  const metrics = createMetrics('kit-test');
  const logs = captureLogs();
  let draining = false;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const router = new Router<ServiceState>();
    router.use('/private', (ctx, next) => {
      if (!ctx.get('authorization')) throw new AppError(401, 'missing_token', 'Missing token');
      return next();
    });
    router.get('/private/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    router.get('/entities/:label', (ctx) => {
      ctx.body = { label: ctx.params.label, requestId: ctx.state.requestId };
    });
    router.post('/entities/:label/:id/notes', (ctx) => {
      ctx.status = 201;
      ctx.body = Reflect.get(ctx.request, 'body') as unknown;
    });
    router.all('/forward', (ctx) => {
      ctx.status = 204;
    });
    router.post('/upload', (ctx) => {
      ctx.body = { parsed: Reflect.get(ctx.request, 'body') !== undefined };
    });
    const app = createServiceApp({
      name: 'kit-test',
      logger: logs.logger,
      metrics,
      ready: () => ({ ok: true }),
      isDraining: () => draining,
      bodyLimitBytes: 64,
      rawBodyPaths: ['/upload'],
      routers: [router],
    });
    const handler = app.callback();
    server = http.createServer((req, res) => void handler(req, res)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => void server.close());

  const count = async (labels: string) => {
    // Requests are counted when their response has been sent: let the server's close event run.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const text = await metrics.registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith(`aegis_http_requests_total{${labels}`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };
  const post = (path: string, body: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('labels metrics and the request log with the route the router matched, never the raw path', async () => {
    const res = await fetch(`${base}/entities/Well?x=1`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { label: string; requestId: string };
    expect(body.label).toBe('Well');
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
    await fetch(`${base}/entities/Lease`, { method: 'HEAD' });
    expect(await count('method="GET",route="GET /entities/{label}",status="200"')).toBe(1);
    expect(await count('method="HEAD",route="GET /entities/{label}",status="200"')).toBe(1);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        msg: 'Handled request',
        path: '/entities/Well',
        route: 'GET /entities/{label}',
        status: 200,
        requestId: body.requestId,
      }),
    );
  });

  it('renders every parameter in OpenAPI form and a router.all route as ANY', async () => {
    expect((await post('/entities/Well/42/notes', '{"a":1}')).status).toBe(201);
    expect((await fetch(`${base}/forward`, { method: 'DELETE' })).status).toBe(204);
    expect(await count('method="POST",route="POST /entities/{label}/{id}/notes",status="201"')).toBe(1);
    expect(await count('method="DELETE",route="ANY /forward",status="204"')).toBe(1);
  });

  it('counts a request that router middleware ends under the route it was meant for', async () => {
    expect((await fetch(`${base}/private/1`)).status).toBe(401);
    expect((await fetch(`${base}/private/1`, { headers: { authorization: 'x' } })).status).toBe(200);
    expect(await count('method="GET",route="GET /private/{id}",status="401"')).toBe(1);
    expect(await count('method="GET",route="GET /private/{id}",status="200"')).toBe(1);
  });

  it('counts unknown paths, wrong methods and operational endpoints as unmatched', async () => {
    expect((await fetch(`${base}/nowhere/1`)).status).toBe(404);
    expect((await fetch(`${base}/nowhere/2`)).status).toBe(404);
    const wrong = await fetch(`${base}/entities/Well`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toMatchObject({ code: 'method_not_allowed' });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await count('method="GET",route="unmatched",status="404"')).toBe(2);
    expect(await count('method="PUT",route="unmatched",status="405"')).toBe(1);
    expect(await count('method="GET",route="unmatched",status="200"')).toBe(1);
  });

  it('parses JSON bodies within the limit, except on raw-body paths', async () => {
    expect((await post('/entities/Well/1/notes', JSON.stringify({ text: 'x'.repeat(100) }))).status).toBe(
      413,
    );
    expect((await post('/entities/Well/1/notes', '{')).status).toBe(400);
    const raw = await post('/upload', JSON.stringify({ text: 'x'.repeat(100) }));
    expect(await raw.json()).toEqual({ parsed: false });
  });

  it('answers /health always and /ready 503 while draining', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', service: 'kit-test' });
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    draining = true;
    const res = await fetch(`${base}/ready`);
    draining = false;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      service: 'kit-test',
      detail: 'draining',
      code: 'not_ready',
    });
  });
});

describe('rawPathMatcher', () => {
  it('matches fixed paths exactly and templates one segment per parameter', () => {
    const raw = rawPathMatcher(['/upload', '/files/{id}/parts/{n}'])!;
    expect(raw('/upload')).toBe(true);
    expect(raw('/upload/x')).toBe(false);
    expect(raw('/files/f-1/parts/2')).toBe(true);
    expect(raw('/files/f-1/parts')).toBe(false);
    expect(raw('/files/a/b/parts/2')).toBe(false);
    expect(raw('/files//parts/2')).toBe(false);
    expect(rawPathMatcher([])).toBeUndefined();
  });
});
