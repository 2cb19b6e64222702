import { listen, type Listening } from '@aegis/testing';
import { createPlatformClients } from './clients';

/** A stand-in service answering what each test sets, and recording what it was asked. */
describe('createPlatformClients', () => {
  let server: Listening;
  let reply: { status: number; body?: unknown };
  const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

  beforeAll(async () => {
    server = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
  });
  afterAll(() => server.close());

  const clients = () =>
    createPlatformClients({
      urls: { knowledgeGraph: server.url, flaringMonitor: server.url, complianceMonitor: `${server.url}/` },
      timeoutMs: 2000,
    });

  it('sends the caller’s token and tenant with the JSON body and answers the body', async () => {
    reply = { status: 200, body: { ok: 1 } };
    const r = await clients().call(
      'flaring-monitor',
      'POST',
      '/flaring/assess',
      { token: 't0k', tenantId: 'acme' },
      { a: 1 },
    );
    expect(r).toEqual({ ok: 1 });
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/flaring/assess?tenant_id=acme',
      auth: 'Bearer t0k',
      body: '{"a":1}',
    });
  });

  it('throws a 4xx as an AppError with the service’s status, code and detail', async () => {
    reply = {
      status: 422,
      body: { detail: [{ loc: ['body', 'well_id'], msg: 'bad', type: 'x' }], code: 'validation_error' },
    };
    await expect(
      clients().call('compliance-monitor', 'POST', '/compliance/deadlines', 't'),
    ).rejects.toMatchObject({
      status: 422,
      code: 'validation_error',
      detail: [{ loc: ['body', 'well_id'], msg: 'bad', type: 'x' }],
    });
    reply = { status: 404, body: { detail: 'Well x not found', code: 'well_not_found' } };
    await expect(clients().call('knowledge-graph', 'GET', '/context/assemble/x', 't')).rejects.toMatchObject({
      status: 404,
      code: 'well_not_found',
      message: 'Well x not found',
    });
    reply = { status: 403, body: { detail: 'Requires role: operator', code: 'insufficient_role' } };
    await expect(clients().call('knowledge-graph', 'POST', '/entities/bulk', 't', {})).rejects.toMatchObject({
      status: 403,
      code: 'insufficient_role',
    });
  });

  it('throws a 5xx or an unreachable service as an UpstreamError naming the service, never its body', async () => {
    reply = { status: 500, body: { detail: 'stack trace here', code: 'internal_error' } };
    const err = await clients()
      .call('flaring-monitor', 'GET', '/flaring/burn-rate', 't')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'flaring_monitor_unavailable' });
    expect((err as Error).message).not.toContain('stack trace');
    const down = createPlatformClients({
      urls: {
        knowledgeGraph: 'http://127.0.0.1:1',
        flaringMonitor: 'http://127.0.0.1:1',
        complianceMonitor: 'http://127.0.0.1:1',
      },
      timeoutMs: 2000,
    });
    await expect(down.call('knowledge-graph', 'GET', '/x', 't')).rejects.toMatchObject({
      status: 502,
      code: 'knowledge_graph_unavailable',
    });
  });
});
