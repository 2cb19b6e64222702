import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import { graphFetch } from './graph-fetch';

describe('graphFetch (the knowledge-graph client over node:http)', () => {
  let server: http.Server;
  let answer: { status: number; text?: string; hang?: boolean };
  const seen: {
    method?: string;
    url?: string;
    headers?: http.IncomingHttpHeaders;
    body?: string;
    port?: number;
  }[] = [];
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          port: req.socket.remotePort,
        });
        if (answer.hang) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.text ?? '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends the method, headers and text body and answers status and text, reusing the connection', async () => {
    const send = graphFetch();
    const body = JSON.stringify({ name: 'Ünïcode “A” 1H', n: 1 });
    answer = { status: 201, text: '{"import_id":"i"}' };
    const res = await send(`${base}/imports?tenant_id=acme`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(201);
    await expect(res.text()).resolves.toBe('{"import_id":"i"}');
    answer = { status: 204 };
    const empty = await send(`${base}/imports/i`, { method: 'DELETE', headers: {} });
    expect(empty.status).toBe(204);
    await expect(empty.text()).resolves.toBe('');
    const [post, del] = seen.slice(-2);
    expect(post).toMatchObject({ method: 'POST', url: '/imports?tenant_id=acme', body });
    expect(post.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(del).toMatchObject({ method: 'DELETE', body: '' });
    expect(del.port).toBe(post.port);
  });

  it('closes a connection left idle instead of reusing it after the server may have', async () => {
    const send = graphFetch({ idleSocketMs: 100 });
    answer = { status: 200, text: '{}' };
    await send(base, { method: 'POST', body: '{}' });
    await send(base, { method: 'POST', body: '{}' });
    await new Promise((r) => setTimeout(r, 400));
    await send(base, { method: 'POST', body: '{}' });
    const [first, second, third] = seen.slice(-3).map((s) => s.port);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
  });

  it('fails as fetch does, so the client answers 504 for a silent graph and 502 for an absent one', async () => {
    answer = { status: 200, hang: true };
    await expect(graphFetch()(base, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const client = (baseUrl: string) =>
      createKnowledgeGraphClient({ baseUrl, timeoutMs: 200, commitTimeoutMs: 200, fetch: graphFetch() });
    await expect(client(base).createImport('t')).rejects.toMatchObject({
      status: 504,
      code: 'knowledge_graph_timeout',
    });
    await expect(client('http://127.0.0.1:1').createImport('t')).rejects.toMatchObject({
      status: 502,
      code: 'knowledge_graph_unavailable',
    });
  });
});
