import {
  describeWithPostgres,
  startService,
  startTokenAuthority,
  type RunningService,
  type TokenAuthority,
} from '@aegis/testing';

/** The knowledge-graph service process on PostgreSQL: migrations, first-start demo seeding, traversal,
 * templates, context and tenant scoping over HTTP (tokens from a test key authority). */
describeWithPostgres('knowledge-graph service on PostgreSQL', (databaseUrl) => {
  let authority: TokenAuthority;
  let kg: RunningService;
  let defaultToken: string;
  let acmeToken: string;

  beforeAll(async () => {
    authority = await startTokenAuthority();
    kg = await startService({
      name: 'knowledge-graph',
      env: {
        DATABASE_URL: databaseUrl(),
        JWKS_URL: authority.jwksUrl,
        REVOCATIONS_URL: authority.revocationsUrl,
      },
      timeoutMs: 60_000,
    });
    defaultToken = await authority.sign({ tenant_id: 'default', roles: ['operator'] });
    acmeToken = await authority.sign({ tenant_id: 'acme', roles: ['admin'] });
  }, 180_000);

  afterAll(async () => {
    await kg?.stop();
    await authority?.close();
  });

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${kg.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON checked by the assertions
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, any> };
  };

  it('loads the demo data on first start and serves traversal, templates and context', async () => {
    const wells = await call(defaultToken, 'GET', '/entities/Well?limit=3&sort_by=entity_id');
    expect(wells.body).toMatchObject({ total: 30, limit: 3, offset: 0 });
    const id = wells.body.data[0].entity_id as string;
    const g = await call(defaultToken, 'GET', `/graph/Well/${id}?depth=2`);
    expect(g.status).toBe(200);
    expect(g.body.nodes.length).toBeGreaterThan(5);
    expect(g.body.edges.length).toBeGreaterThan(5);
    const q = await call(defaultToken, 'POST', '/query', {
      template_id: 'flaring_without_authorization',
      params: {},
    });
    expect(q.body.count).toBe(13);
    const c = await call(defaultToken, 'GET', `/context/assemble/${id}`);
    expect(c.body.operator).not.toBeNull();
    const tree = await call(defaultToken, 'GET', '/impact/tree');
    expect(tree.body.projects).toHaveLength(2);
  });

  it('keeps tenants apart and writes nothing from an invalid bulk request', async () => {
    const wells = await call(defaultToken, 'GET', '/entities/Well?limit=1');
    const id = wells.body.data[0].entity_id as string;
    expect((await call(acmeToken, 'GET', `/entities/Well/${id}`)).status).toBe(404);
    expect((await call(acmeToken, 'GET', `/graph/Well/${id}`)).status).toBe(404);
    const bad = await call(acmeToken, 'POST', '/entities/bulk', {
      entities: [
        { label: 'Operator', entity_id: 'op', properties: {} },
        { label: 'Well', properties: { api_number: '30-015-12345' } },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'entities', 1, 'properties', 'api_number']);
    expect((await call(acmeToken, 'GET', '/entities/Operator')).body.total).toBe(0);
  });
});
