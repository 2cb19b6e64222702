import fs from 'node:fs';
import { createServiceIdentity, type ServiceIdentity } from '@aegis/common';
import {
  startAuthService,
  startLocalService,
  startedSet,
  tempDir,
  TEST_SERVICE_CLIENT_SECRET,
} from '@aegis/testing';

/** ADR 0019 end to end: the auth and knowledge-graph processes as the test starters run them (one
 * shared SERVICE_CLIENT_SECRET); a service identity takes a token from auth, lists the tenants and reads
 * the knowledge graph of each tenant it names, while a tenant's own users stay in their tenant. */
describe('service identity across processes (auth + knowledge-graph)', () => {
  const dir = tempDir('service-identity');
  const running = startedSet();
  let authUrl: string;
  let kgUrl: string;
  let identity: ServiceIdentity;
  let acmeAdmin: string;

  const call = async (method: string, url: string, token: string, body?: unknown) => {
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const login = async (email: string, password: string): Promise<string> => {
    const res = await fetch(`${authUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    const auth = running.started(await startAuthService(dir));
    authUrl = auth.url;
    kgUrl = running.started(
      await startLocalService('knowledge-graph', { dataDir: dir, authUrl, timeoutMs: 60_000 }),
    ).url;
    const platform = await login('admin@aegis.local', 'aegis-dev-admin');
    const made = await call('POST', `${authUrl}/auth/users`, platform, {
      email: 'admin@acme.test',
      password: 'password-1',
      tenant_id: 'acme',
      roles: ['admin'],
    });
    expect(made.status).toBe(201);
    acmeAdmin = await login('admin@acme.test', 'password-1');
    const created = await call('POST', `${kgUrl}/entities`, acmeAdmin, {
      label: 'Operator',
      entity_id: 'acme-op',
      properties: { name: 'Acme Operating' },
    });
    expect(created.status).toBe(201);
    identity = createServiceIdentity({
      authUrl,
      name: 'compliance-monitor',
      secret: TEST_SERVICE_CLIENT_SECRET,
    });
  }, 180_000);

  afterAll(async () => {
    await running.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('lists the tenants that have users', async () => {
    expect(await identity.tenants()).toEqual(['acme', 'default']);
  });

  it('reads each tenant’s knowledge graph by naming it, with one token', async () => {
    const token = await identity.token();
    const acme = await call('GET', `${kgUrl}/entities/Operator?tenant_id=acme`, token);
    expect(acme.status).toBe(200);
    expect(acme.body).toMatchObject({ total: 1, data: [{ entity_id: 'acme-op' }] });
    const demo = await call('GET', `${kgUrl}/entities/Well?tenant_id=default&limit=1`, token);
    expect(demo.status).toBe(200);
    expect(demo.body.total).toBeGreaterThan(0);
    expect((await identity.caller('acme')).token).toBe(token);
  });

  it('keeps a tenant admin in its tenant (403 cross_tenant), as before', async () => {
    const res = await call('GET', `${kgUrl}/entities/Well?tenant_id=default`, acmeAdmin);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'cross_tenant', request_id: expect.any(String) });
  });

  it('refuses a wrong secret with 401 invalid_client', async () => {
    const wrong = createServiceIdentity({
      authUrl,
      name: 'compliance-monitor',
      secret: 'not-the-secret-at-all',
    });
    await expect(wrong.token()).rejects.toMatchObject({ status: 502, code: 'auth_refused' });
    const res = await fetch(`${authUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'compliance-monitor',
        client_secret: 'not-the-secret-at-all',
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid_client', request_id: expect.any(String) });
  });
});
