import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@aegis/common';
import { createUpstreamProxy, nodeResponseHeaders, type UpstreamProxy } from './upstream-proxy';

describe('nodeResponseHeaders', () => {
  it('shapes repeated headers as node:http does', () => {
    expect(
      nodeResponseHeaders({
        'set-cookie': ['a=1', 'b=2'],
        'content-type': ['text/plain', 'text/html'],
        'cache-control': ['no-cache', 'no-store'],
        cookie: ['a=1', 'b=2'],
        etag: '"x"',
      }),
    ).toEqual({
      'set-cookie': ['a=1', 'b=2'],
      'content-type': 'text/plain',
      'cache-control': 'no-cache, no-store',
      cookie: 'a=1; b=2',
      etag: '"x"',
    });
  });
});

/** The upstream client on its own, on a plain server: pooling and a client's disconnect. */
describe('createUpstreamProxy', () => {
  let upstream: http.Server;
  let front: http.Server;
  let proxy: UpstreamProxy;
  let frontPort: number;
  const connections: number[] = [];
  const held: http.ServerResponse[] = [];
  let aborted = 0;
  const failures: string[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      if (req.url === '/hold') {
        held.push(res);
        req.on('close', () => {
          if (!res.writableEnded) aborted += 1;
        });
        return;
      }
      res.end(`ok ${req.url}`);
    });
    upstream.on('connection', () => connections.push(Date.now()));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const target = new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    proxy = createUpstreamProxy({
      connectTimeoutMs: 1000,
      maxSockets: 4,
      onUpstreamError: (_u, kind) => failures.push(kind),
    });
    front = http.createServer((req, res) => {
      proxy.send(
        {
          upstream: 'test',
          req,
          res,
          target,
          path: req.url ?? '/',
          headers: { 'x-test': '1' },
          maxBodyBytes: 1024,
          timeoutMs: 5000,
          closeConnection: () => false,
        },
        (err) => {
          if (!err || res.headersSent) return;
          res.writeHead(err instanceof AppError ? err.status : 500);
          res.end();
        },
      );
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    frontPort = (front.address() as AddressInfo).port;
  });

  afterAll(async () => {
    proxy.close();
    for (const res of held) res.destroy();
    front.closeAllConnections();
    upstream.closeAllConnections();
    await new Promise((r) => front.close(r));
    await new Promise((r) => upstream.close(r));
  });

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: frontPort, path, agent: false }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });

  it('keeps upstream connections alive: sequential requests share one', async () => {
    for (let i = 0; i < 3; i += 1) expect(await get(`/n${i}`)).toEqual({ status: 200, body: `ok /n${i}` });
    expect(connections).toHaveLength(1);
  });

  it('aborts the upstream request when the client goes away before the answer', async () => {
    const req = http.get({ host: '127.0.0.1', port: frontPort, path: '/hold', agent: false });
    req.on('error', () => undefined);
    const deadline = Date.now() + 5000;
    while (held.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(held).toHaveLength(1);
    req.destroy();
    while (aborted === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(aborted).toBe(1);
    expect(failures).toEqual(['reset']);
  });
});
