import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKnowledgeGraphClient } from './client';

describe('createKnowledgeGraphClient', () => {
  let server: http.Server;
  let reply: { status: number; body?: unknown };
  let seen: { method?: string; url?: string; auth?: string; body?: string };
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, auth: req.headers.authorization, body };
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const client = () =>
    createKnowledgeGraphClient({ baseUrl: `${base}/`, timeoutMs: 2000, commitTimeoutMs: 2000 });

  it('forwards the bearer token and speaks the import contract', async () => {
    reply = { status: 201, body: { import_id: 'imp 1' } };
    await expect(client().createImport('tok')).resolves.toBe('imp 1');
    expect(seen).toMatchObject({ method: 'POST', url: '/imports', auth: 'Bearer tok' });
    reply = { status: 200, body: { staged: 1 } };
    await expect(client().stage('tok', 'imp 1', { entities: [], edges: [] })).resolves.toEqual({ ok: true });
    expect(seen.url).toBe('/imports/imp%201/items');
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

  it('returns 422 issues as a rejection and maps other failures to typed errors', async () => {
    const issues = [{ loc: ['body', 'entities', 0, 'entity_id'], msg: 'bad', type: 'value_error' }];
    reply = { status: 422, body: { detail: issues, code: 'validation_error' } };
    await expect(client().stage('t', 'i', { entities: [], edges: [] })).resolves.toEqual({
      ok: false,
      issues,
    });
    await expect(client().bulk('t', { entities: [], edges: [] })).resolves.toEqual({ rejected: issues });
    reply = { status: 403, body: { detail: 'Requires role: operator', code: 'insufficient_role' } };
    await expect(client().createImport('t')).rejects.toMatchObject({
      status: 403,
      code: 'insufficient_role',
    });
    reply = { status: 409, body: { detail: 'Import is already committed', code: 'import_closed' } };
    await expect(client().commit('t', 'i')).rejects.toMatchObject({ status: 409 });
    reply = { status: 500, body: { detail: 'Internal server error' } };
    await expect(client().stage('t', 'i', { entities: [], edges: [] })).rejects.toMatchObject({
      status: 502,
      code: 'knowledge_graph_error',
    });
    reply = { status: 404, body: { detail: 'gone' } };
    await expect(client().discard('t', 'i')).resolves.toBeUndefined();
  });

  it('reads an entity (undefined when absent) and the rows of a query template', async () => {
    const well = {
      label: 'Well',
      entity_id: '42301123450000',
      properties: { status: 'active' },
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    reply = { status: 200, body: well };
    await expect(client().getEntity('tok', 'Well', '42301123450000')).resolves.toEqual(well);
    expect(seen).toMatchObject({ method: 'GET', url: '/entities/Well/42301123450000', auth: 'Bearer tok' });
    reply = { status: 404, body: { detail: 'Not found', code: 'entity_not_found' } };
    await expect(client().getEntity('tok', 'Well', 'x')).resolves.toBeUndefined();
    reply = { status: 200, body: { label: 'Well' } };
    await expect(client().getEntity('tok', 'Well', 'x')).rejects.toMatchObject({ status: 502 });

    reply = { status: 200, body: { template_id: 'wells_by_operator', count: 1, data: [well] } };
    await expect(client().query('tok', 'wells_by_operator', { operator_id: 'OP-1' })).resolves.toEqual([
      well,
    ]);
    expect(JSON.parse(seen.body!)).toEqual({
      template_id: 'wells_by_operator',
      params: { operator_id: 'OP-1' },
    });
    reply = { status: 422, body: { detail: [{ loc: ['body'], msg: 'bad' }], code: 'validation_error' } };
    await expect(client().query('tok', 'wells_by_operator', {})).rejects.toMatchObject({
      status: 422,
      code: 'validation_error',
    });
  });

  it('answers 502 when the graph is unreachable', async () => {
    const c = createKnowledgeGraphClient({
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 2000,
      commitTimeoutMs: 2000,
    });
    await expect(c.createImport('t')).rejects.toMatchObject({
      status: 502,
      code: 'knowledge_graph_unavailable',
    });
  });
  it('lists every entity of a label and every edge of an entity, page by page', async () => {
    const pages: Record<string, unknown>[] = [];
    const urls: string[] = [];
    const paging = http.createServer((req, res) => {
      urls.push(req.url ?? '');
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'));
      const body = pages[page - 1] ?? { data: [], total: 0 };
      res.writeHead(req.url?.includes('missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => paging.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(paging.address() as AddressInfo).port}`;
    const c = createKnowledgeGraphClient({ baseUrl: url, timeoutMs: 2000, commitTimeoutMs: 2000 });
    const entity = (i: number) => ({
      label: 'Well',
      entity_id: `w${i}`,
      properties: {},
      created_at: 't',
      updated_at: 't',
    });
    pages.push(
      { data: Array.from({ length: 100 }, (_, i) => entity(i)), total: 101 },
      { data: [entity(100)], total: 101 },
    );
    const wells = await c.listEntities('tok', 'Well');
    expect(wells.map((w) => w.entity_id).slice(-2)).toEqual(['w99', 'w100']);
    expect(urls).toEqual(['/entities/Well?page=1&page_size=100', '/entities/Well?page=2&page_size=100']);

    pages.length = 0;
    urls.length = 0;
    const e = {
      edge_id: 'e1',
      from_label: 'Well',
      from_id: 'w1',
      rel_type: 'ON_LEASE',
      to_label: 'Lease',
      to_id: 'l1',
    };
    pages.push({ data: [e], total: 1 });
    await expect(
      c.edgesOf({ token: 'tok', tenantId: 'acme' }, 'Well', 'w 1', { relType: 'ON_LEASE' }),
    ).resolves.toEqual([e]);
    expect(urls).toEqual([
      '/edges/Well/w%201?direction=both&rel_type=ON_LEASE&page=1&page_size=100&tenant_id=acme',
    ]);
    await expect(c.edgesOf('tok', 'Well', 'missing')).resolves.toEqual([]);
    await new Promise<void>((r) => paging.close(() => r()));
  });
});
