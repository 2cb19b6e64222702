import { UpstreamError } from '../errors';
import { createServiceIdentity } from './identity';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake auth service: answers the client-credentials grant with numbered tokens and lists tenants. */
function fakeAuth(opts: { expiresIn?: number; tenants?: string[]; tokenStatus?: number } = {}) {
  const calls: Call[] = [];
  let issued = 0;
  const revoked = new Set<string>();
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = (async (input: string, init?: RequestInit) => {
    const url = input;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ url, method: init?.method ?? 'GET', headers, body });
    const u = new URL(url);
    if (u.pathname === '/auth/token') {
      if (opts.tokenStatus) return json(opts.tokenStatus, { detail: 'Invalid client credentials' });
      issued++;
      return json(200, {
        access_token: `tok-${issued}`,
        token_type: 'bearer',
        expires_in: opts.expiresIn ?? 300,
      });
    }
    if (u.pathname === '/auth/tenants') {
      const token = headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!token.startsWith('tok-') || revoked.has(token)) return json(401, { detail: 'Invalid token' });
      const all = opts.tenants ?? [];
      const page = Number(u.searchParams.get('page'));
      const size = Number(u.searchParams.get('page_size'));
      const data = all.slice((page - 1) * size, page * size).map((tenant_id) => ({ tenant_id }));
      return json(200, { data, total: all.length, page, page_size: size });
    }
    return json(404, {});
  }) as typeof fetch;
  return { calls, fetchImpl, revoke: (t: string) => revoked.add(t) };
}

describe('createServiceIdentity', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000_000));
  /** The identity of compliance-monitor against `fetchImpl`, on the test clock. */
  const identity = (fetchImpl: typeof fetch, secret = 's') =>
    createServiceIdentity({
      authUrl: 'http://auth.test',
      name: 'compliance-monitor',
      secret,
      fetch: fetchImpl,
      now,
    });

  it('asks auth for a client-credentials token under its registry name', async () => {
    const auth = fakeAuth();
    const id = createServiceIdentity({
      authUrl: 'http://auth.test/',
      name: 'flaring-monitor',
      secret: 's3cret',
      fetch: auth.fetchImpl,
      now,
    });
    expect(await id.token()).toBe('tok-1');
    expect(auth.calls).toHaveLength(1);
    expect(auth.calls[0]).toMatchObject({
      url: 'http://auth.test/auth/token',
      method: 'POST',
      body: { grant_type: 'client_credentials', client_id: 'flaring-monitor', client_secret: 's3cret' },
    });
  });

  it('caches the token and renews it a fifth of its lifetime (at least 10 s) before expiry', async () => {
    const auth = fakeAuth({ expiresIn: 300 }); // renewal due at 300 s − 60 s = 240 s
    const id = identity(auth.fetchImpl);
    expect(await id.token()).toBe('tok-1');
    clock += 239_999;
    expect(await id.token()).toBe('tok-1');
    clock += 1;
    expect(await id.token()).toBe('tok-2');
    expect(auth.calls).toHaveLength(2);
  });

  it('renews a short-lived token 10 s early', async () => {
    const auth = fakeAuth({ expiresIn: 30 });
    const id = identity(auth.fetchImpl);
    await id.token();
    clock += 19_999;
    expect(await id.token()).toBe('tok-1');
    clock += 1;
    expect(await id.token()).toBe('tok-2');
  });

  it('shares one token request among concurrent callers', async () => {
    const auth = fakeAuth();
    const id = identity(auth.fetchImpl);
    const tokens = await Promise.all([id.token(), id.token(), id.caller('t1')]);
    expect(tokens).toEqual(['tok-1', 'tok-1', { token: 'tok-1', tenantId: 't1' }]);
    expect(auth.calls).toHaveLength(1);
  });

  it('fails with a 502 naming the status, without the secret, when auth refuses the credentials', async () => {
    const auth = fakeAuth({ tokenStatus: 401 });
    const id = identity(auth.fetchImpl, 'topsecret');
    const err = await id.token().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 502, code: 'auth_refused' });
    expect((err as Error).message).toContain('401');
    expect((err as Error).message).not.toContain('topsecret');
    // A later call tries again instead of caching the failure.
    await id.token().catch(() => undefined);
    expect(auth.calls).toHaveLength(2);
  });

  it('fails with a 502 when auth is unreachable', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const id = identity(failing);
    await expect(id.token()).rejects.toMatchObject({ status: 502, code: 'auth_unavailable' });
  });

  it('lists every tenant across pages with its token', async () => {
    const tenants = Array.from({ length: 230 }, (_, i) => `t${i}`);
    const auth = fakeAuth({ tenants });
    const id = identity(auth.fetchImpl);
    expect(await id.tenants()).toEqual(tenants);
    const listCalls = auth.calls.filter((c) => c.url.includes('/auth/tenants'));
    expect(listCalls.map((c) => new URL(c.url).searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(listCalls.every((c) => c.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('takes a new token once and retries when auth no longer accepts the cached one', async () => {
    const auth = fakeAuth({ tenants: ['default', 'acme'] });
    const id = identity(auth.fetchImpl);
    await id.token();
    auth.revoke('tok-1');
    expect(await id.tenants()).toEqual(['default', 'acme']);
    expect(await id.token()).toBe('tok-2');
  });
});
