import path from 'node:path';
import {
  repoRoot,
  startAuthService,
  startService,
  tempDir,
  waitFor,
  writeDefaultRoutes,
  type RunningService,
} from '@aegis/testing';

/** The platform as `npm start` runs it — the real auth service and the gateway as processes with the
 * default route table — driven over HTTP like a client. */
describe('platform: gateway + auth service', () => {
  let auth: RunningService;
  let gateway: RunningService;
  let base: string;

  beforeAll(async () => {
    const dir = tempDir('platform');
    auth = await startAuthService(dir);
    // The registry's route table, with auth where this test runs it and nothing at a well-known port.
    gateway = await startService({
      name: 'gateway',
      dir: 'gateway',
      env: {
        AUTH_URL: auth.url,
        ROUTES_FILE: await writeDefaultRoutes(dir, { auth: auth.url }),
        TENANTS_FILE: path.join(repoRoot, 'config/tenants.yaml'),
        REVOCATION_POLL_MS: '200',
        // Room for this suite's logins and 401s, all unauthenticated traffic from one address.
        DEFAULT_REQUESTS_PER_MINUTE: '6000',
        DEFAULT_BURST: '100',
      },
    });
    base = gateway.url;
  });

  afterAll(async () => {
    await gateway?.stop();
    await auth?.stop();
  });

  const login = async (email = 'Admin@AEGIS.local', password = 'aegis-dev-admin') =>
    fetch(`${base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('answers /health as the gateway', async () => {
    const res = await fetch(`${base}/health`);
    expect(await res.json()).toEqual({ status: 'ok', service: 'api-gateway' });
  });

  it('logs the local admin in through the gateway, case-insensitively, with a cookie', async () => {
    const res = await login();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 86400,
      email: 'admin@aegis.local',
      roles: ['admin', 'platform_admin'],
      tenant_id: 'default',
      user_id: expect.any(String),
      access_token: expect.any(String),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^aegis_token=[^;]+; /);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=86400/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 503 for a service this suite did not start, even if a local platform serves its port', async () => {
    const token = ((await (await login()).json()) as { access_token: string }).access_token;
    const res = await fetch(`${base}/api/v1/entities/Well`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('service_unavailable');
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await login('admin@aegis.local', 'nope-nope');
    const unknown = await login('nobody@aegis.local', 'nope-nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as Record<string, unknown>;
    const b = (await unknown.json()) as Record<string, unknown>;
    expect(a.detail).toBe('Invalid email or password');
    expect({ ...a, request_id: undefined }).toEqual({ ...b, request_id: undefined });
  });

  it('serves /auth/me with the bearer header and with the cookie', async () => {
    const res = await login();
    const { access_token: token, user_id: userId } = (await res.json()) as {
      access_token: string;
      user_id: string;
    };
    const viaHeader = await fetch(`${base}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaHeader.status).toBe(200);
    expect(await viaHeader.json()).toMatchObject({ user_id: userId, email: 'admin@aegis.local' });
    const viaCookie = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: `aegis_token=${token}` } });
    expect(viaCookie.status).toBe(200);
    expect(await viaCookie.json()).toMatchObject({ user_id: userId });
  });

  it('refuses a token after logout', async () => {
    const { access_token: token } = (await (await login()).json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${base}/api/v1/auth/me`, { headers })).status).toBe(200);
    const out = await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers });
    expect(out.status).toBeLessThan(300);
    expect(out.headers.get('set-cookie')).toMatch(/aegis_token=;|Max-Age=0/);
    const after = await fetch(`${base}/api/v1/auth/me`, { headers });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ detail: 'Invalid token' });
  });

  it('refuses tokens of a deactivated user once the revocation feed has it', async () => {
    const admin = (await (await login()).json()) as { access_token: string };
    const adminHeaders = {
      authorization: `Bearer ${admin.access_token}`,
      'content-type': 'application/json',
    };
    const created = await fetch(`${base}/api/v1/auth/users`, {
      method: 'POST',
      headers: adminHeaders,
      body: JSON.stringify({ email: 'viewer@aegis.local', password: 'viewer-password-1', roles: ['viewer'] }),
    });
    expect(created.status).toBe(201);
    const { id: userId } = (await created.json()) as { id: string };
    const viewer = (await (await login('viewer@aegis.local', 'viewer-password-1')).json()) as {
      access_token: string;
    };
    const viewerHeaders = { authorization: `Bearer ${viewer.access_token}` };
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: viewerHeaders })).status).toBe(200);
    // A viewer may not administer users.
    expect((await fetch(`${base}/api/v1/auth/users`, { headers: viewerHeaders })).status).toBe(403);
    const patched = await fetch(`${base}/api/v1/auth/users/${userId}`, {
      method: 'PATCH',
      headers: adminHeaders,
      body: JSON.stringify({ active: false }),
    });
    expect(patched.status).toBe(200);
    await waitFor(
      'the deactivation to reach the gateway',
      async () => (await fetch(`${base}/api/v1/auth/me`, { headers: viewerHeaders })).status === 401,
    );
  });

  it('lets about 10 of 120 simultaneous requests from one identity through and answers the rest 429', async () => {
    // A fresh identity (its own bucket): the default tenant allows 100/min with bursts of 10.
    const admin = (await (await login()).json()) as { access_token: string };
    const headers = { authorization: `Bearer ${admin.access_token}`, 'content-type': 'application/json' };
    await fetch(`${base}/api/v1/auth/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'burst@aegis.local', password: 'burst-password-1', roles: ['viewer'] }),
    });
    const { access_token: token } = (await (await login('burst@aegis.local', 'burst-password-1')).json()) as {
      access_token: string;
    };
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 120 }, () =>
        fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200).length;
    const limited = responses.filter((r) => r.status === 429);
    // The burst of 10, plus whatever tokens 100/min added while the requests were in flight.
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(10 + Math.ceil(((Date.now() - started) * 100) / 60_000));
    expect(ok + limited.length).toBe(120);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0].headers.get('access-control-allow-origin')).toBe('*');
    expect(await limited[0].json()).toMatchObject({
      error: 'rate limit exceeded — 100 requests/minute',
      code: 'rate_limited',
    });
  });
  it('serves the merged API document and a reference page without a token', async () => {
    const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      'x-aegis-unavailable-services'?: string[];
    };
    expect(doc.paths['/api/v1/auth/token']).toBeDefined();
    expect(doc.paths['/api/v1/auth/users/{id}']).toBeDefined();
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/internal'))).toBe(false);
    // Only auth runs in this suite: the rest are listed as unavailable rather than failing the page.
    expect(doc['x-aegis-unavailable-services']).toContain('knowledge-graph');
    const page = await fetch(`${base}/api/v1/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/api/v1/auth/token');
  });
});
