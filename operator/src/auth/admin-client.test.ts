import { createAuthAdminClient } from './admin-client';

/** A fake auth service: login, create user (409 on a repeat), list with tenant_id/active, patch. */
function fakeAuth() {
  const users = [
    { id: 'u1', tenant_id: 'acme', active: true },
    { id: 'u2', tenant_id: 'acme', active: true },
    { id: 'u3', tenant_id: 'other', active: true },
  ];
  const calls: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const method = init.method ?? 'GET';
    calls.push(`${method} ${u.pathname}${u.search}`);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
    if (u.pathname === '/auth/token') {
      const b = JSON.parse(init.body as string);
      return b.password === 'pw'
        ? json(200, { access_token: 'tok', expires_in: 900 })
        : json(401, { detail: 'Invalid credentials' });
    }
    if ((init.headers as Record<string, string>).authorization !== 'Bearer tok')
      return json(401, { detail: 'no' });
    if (u.pathname === '/auth/users' && method === 'POST') {
      const b = JSON.parse(init.body as string);
      if (users.some((x) => x.tenant_id === b.tenant_id && x.id === b.email))
        return json(409, { detail: 'exists' });
      users.push({ id: b.email, tenant_id: b.tenant_id, active: true });
      return json(201, { id: b.email });
    }
    if (u.pathname === '/auth/users' && method === 'GET') {
      const size = Number(u.searchParams.get('page_size'));
      const data = users.filter(
        (x) =>
          x.tenant_id === u.searchParams.get('tenant_id') &&
          String(x.active) === u.searchParams.get('active'),
      );
      return json(200, {
        data: data.slice(0, Math.min(size, 1)),
        total: data.length,
        page: 1,
        page_size: size,
      });
    }
    const m = /^\/auth\/users\/([^/]+)$/.exec(u.pathname);
    if (m && method === 'PATCH') {
      const x = users.find((y) => y.id === decodeURIComponent(m[1]));
      if (!x) return json(404, { detail: 'nf' });
      x.active = JSON.parse(init.body as string).active;
      return json(200, x);
    }
    return json(404, { detail: 'no route' });
  }) as typeof fetch;
  return { users, calls, fetchFn };
}

describe('createAuthAdminClient', () => {
  it('creates the administrator once and treats 409 as done', async () => {
    const f = fakeAuth();
    const c = createAuthAdminClient({
      url: 'http://auth',
      email: 'root@x',
      password: 'pw',
      fetch: f.fetchFn,
    });
    expect(await c.ensureAdmin({ tenantId: 'acme', email: 'ops@acme', password: 'secret123' })).toBe(
      'created',
    );
    expect(await c.ensureAdmin({ tenantId: 'acme', email: 'ops@acme', password: 'secret123' })).toBe(
      'exists',
    );
    expect(f.calls.filter((x) => x.startsWith('POST /auth/token'))).toHaveLength(1);
  });

  it('deactivates every active user of the tenant, page after page, and no one else', async () => {
    const f = fakeAuth();
    const c = createAuthAdminClient({
      url: 'http://auth/',
      email: 'root@x',
      password: 'pw',
      fetch: f.fetchFn,
    });
    expect(await c.deactivateUsers('acme')).toBe(2);
    expect(f.users.map((u) => [u.id, u.active])).toEqual([
      ['u1', false],
      ['u2', false],
      ['u3', true],
    ]);
  });

  it('fails with the auth service answer when the platform admin cannot log in', async () => {
    const f = fakeAuth();
    const c = createAuthAdminClient({
      url: 'http://auth',
      email: 'root@x',
      password: 'wrong',
      fetch: f.fetchFn,
    });
    await expect(c.ensureAdmin({ tenantId: 'a', email: 'e@x', password: 'p' })).rejects.toThrow(
      /login: auth service answered 401/,
    );
  });
});
