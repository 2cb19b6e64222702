import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pino from 'pino';
import { z } from 'zod';
import { ConflictError } from '../errors';
import { errorHandler } from './error-handler';
import { jsonBody } from './json-body';
import { requestId } from './request-id';
import { parseWith } from './validation';

async function serve(app: Koa) {
  const handler = app.callback();
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('errorHandler + jsonBody + parseWith', () => {
  const app = new Koa();
  app.use(requestId());
  app.use(errorHandler({ logger: pino({ level: 'silent' }) }));
  app.use(jsonBody({ limitBytes: 64 }));
  app.use(async (ctx, next) => {
    if (ctx.path === '/boom') throw new Error('SELECT * FROM secrets');
    if (ctx.path === '/conflict') throw new ConflictError('Already decided');
    if (ctx.path === '/router-405') {
      // What @koa/router's allowedMethods({ throw: false }) leaves: a status and Allow, no body.
      ctx.status = 405;
      ctx.set('Allow', 'HEAD, GET');
      return;
    }
    if (ctx.path === '/items') {
      ctx.body = parseWith(
        z.object({ agent_type: z.string(), count: z.number().int() }),
        (ctx.request as { body?: unknown }).body,
        'body',
      );
      return;
    }
    return next();
  });
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => (srv = await serve(app)));
  afterAll(() => srv.close());

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('gives a router 405 the error shape and keeps its Allow header', async () => {
    const res = await post('/router-405', '{}');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('HEAD, GET');
    expect(await res.json()).toMatchObject({ detail: 'Method not allowed', code: 'method_not_allowed' });
  });

  it('answers 422 with loc/msg/type entries for schema failures', async () => {
    const res = await post('/items', JSON.stringify({ count: 'x' }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: unknown[]; code: string; request_id: string };
    expect(body.code).toBe('validation_error');
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
    expect(body.detail).toEqual(
      expect.arrayContaining([
        { loc: ['body', 'agent_type'], msg: 'field required', type: 'missing' },
        expect.objectContaining({ loc: ['body', 'count'], type: 'invalid_type' }),
      ]),
    );
  });

  it('answers 400 for malformed JSON, 415 for another content type, 413 over the limit', async () => {
    expect((await post('/items', '{"a":')).status).toBe(400);
    expect((await post('/items', 'a=b', 'application/x-www-form-urlencoded')).status).toBe(415);
    const big = await post('/items', JSON.stringify({ agent_type: 'x'.repeat(100), count: 1 }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('maps typed errors to their status and code', async () => {
    const res = await post('/conflict', '{}');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ detail: 'Already decided', code: 'conflict' });
  });

  it('answers 500 without internals for unexpected errors', async () => {
    const res = await post('/boom', '{}');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/SELECT|secrets|at /);
    expect(JSON.parse(text)).toMatchObject({ detail: 'Internal server error', code: 'internal_error' });
  });

  it('answers 404 JSON for unknown routes', async () => {
    const res = await fetch(`${srv.url}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'route_not_found' });
  });
});
