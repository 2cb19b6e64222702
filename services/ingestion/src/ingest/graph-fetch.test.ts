import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import { graphFetch } from './graph-fetch';

describe('graphFetch (the knowledge-graph client over node:http)', () => {
  let server: http.Server;
  let reply: { status: number; body?: unknown; hang?: boolean };
  let seen: { method?: string; url?: string; auth?: string; type?: string; body?: string };
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = {
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          body,
        };
        if (reply.hang) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const client = (baseUrl = base, timeoutMs = 2000) =>
    createKnowledgeGraphClient({ baseUrl, timeoutMs, commitTimeoutMs: timeoutMs, fetch: graphFetch() });

  it('speaks the import contract as the global fetch does: token, JSON body, statuses', async () => {
    reply = { status: 201, body: { import_id: 'imp 1' } };
    await expect(client().createImport({ token: 'tok', tenantId: 'acme' })).resolves.toBe('imp 1');
    expect(seen).toMatchObject({ method: 'POST', url: '/imports?tenant_id=acme', auth: 'Bearer tok' });
    reply = { status: 200, body: { staged: 2 } };
    const items = {
      entities: [{ label: 'Well' as const, entity_id: '42329000010000', properties: { name: 'Ünïcode “A” 1H' } }],
      edges: [],
    };
    await expect(client().stage('tok', 'imp 1', items)).resolves.toEqual({ ok: true });
    expect(seen).toMatchObject({ url: '/imports/imp%201/items', type: 'application/json' });
    expect(JSON.parse(seen.body!)).toEqual(items);
    reply = { status: 200, body: { created: 2, updated: 1, edges_created: 3, edges_updated: 0 } };
    await expect(client().commit('tok', 'imp 1')).resolves.toEqual({
      created: 2,
      updated: 1,
      edges_created: 3,
      edges_updated: 0,
    });
    reply = { status: 204 };
    await expect(client().discard('tok', 'imp 1')).resolves.toBeUndefined();
    expect(seen.method).toBe('DELETE');
  });

  it('returns 422 issues as a rejection and maps failures to the same typed errors', async () => {
    const issues = [{ loc: ['body', 'entities', 0, 'entity_id'], msg: 'bad', type: 'value_error' }];
    reply = { status: 422, body: { detail: issues, code: 'validation_error' } };
    await expect(client().stage('t', 'i', { entities: [], edges: [] })).resolves.toEqual({ ok: false, issues });
    reply = { status: 500, body: { detail: 'Internal server error' } };
    await expect(client().stage('t', 'i', { entities: [], edges: [] })).rejects.toMatchObject({
      status: 502,
      code: 'knowledge_graph_error',
    });
    reply = { status: 200, hang: true };
    await expect(client(base, 200).createImport('t')).rejects.toMatchObject({
      status: 504,
      code: 'knowledge_graph_timeout',
    });
    await expect(client('http://127.0.0.1:1').createImport('t')).rejects.toMatchObject({
      status: 502,
      code: 'knowledge_graph_unavailable',
    });
  });
});
