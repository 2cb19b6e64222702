import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pino from 'pino';
import { errorHandler } from '@aegis/common';
import { allowedMethods } from './methods';

/** Methods beyond the forwarded ones are refused at the gateway (its services answer them 405 too). */
describe('allowedMethods', () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    const app = new Koa();
    app.use(errorHandler({ logger: pino({ level: 'silent' }), gateway: true }));
    app.use(allowedMethods());
    app.use((ctx) => {
      ctx.body = { forwarded: ctx.method };
    });
    const handler = app.callback();
    server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const send = (method: string) =>
    new Promise<{ status?: number; allow?: string; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: '/api/v1/auth/me' }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, allow: res.headers.allow, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each(['TRACE', 'PROPFIND', 'LOCK'])('answers %s with 405, the error shape and Allow', async (method) => {
    const res = await send(method);
    expect(res.status).toBe(405);
    expect(res.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'method_not_allowed' });
  });

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('passes %s on', async (method) => {
    const res = await send(method);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ forwarded: method });
  });
});
