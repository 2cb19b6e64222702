import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { countUsers, findUserByEmail, insertUser } from '../store/users';
import { startTestAuth, TEST_ADMIN, TEST_SERVICE_CLIENT_SECRET, type TestAuth } from '@aegis/testing/auth';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Internal services' own tokens: the client-credentials grant, the `service` role, GET /auth/tenants
 * (ADR 0019). */
describe('service identity', () => {
  let auth: TestAuth;
  let platform: string;

  const call = async (path: string, init: Parameters<TestAuth['fetch']>[1] = {}): Promise<Answer> => {
    const res = await auth.fetch(path, init);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const grant = (json: Record<string, unknown>) =>
    auth.fetch('/auth/token', {
      method: 'POST',
      json: { grant_type: 'client_credentials', ...json },
    });
  const serviceToken = async (clientId = 'flaring-monitor'): Promise<string> => {
    const res = await grant({ client_id: clientId, client_secret: TEST_SERVICE_CLIENT_SECRET });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const expectError = (res: Answer, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code, detail: expect.anything(), request_id: expect.any(String) });
  };

  beforeEach(async () => {
    auth = await startTestAuth();
    platform = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterEach(async () => {
    await auth.close();
  });

  describe('POST /auth/token with grant_type client_credentials', () => {
    it('answers a short-lived token for service:<name> in tenant default with the role service, without a cookie', async () => {
      const res = await grant({ client_id: 'compliance-monitor', client_secret: TEST_SERVICE_CLIENT_SECRET });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        token_type: 'bearer',
        expires_in: 600,
        user_id: 'service:compliance-monitor',
        roles: ['service'],
        tenant_id: 'default',
      });
      const claims = decodeJwt(body.access_token as string);
      expect(claims).toMatchObject({
        sub: 'service:compliance-monitor',
        user_id: 'service:compliance-monitor',
        roles: ['service'],
        tenant_id: 'default',
        iss: 'aegis-auth',
        aud: 'aegis-api',
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(600);
      // The service's own verifier accepts it.
      const validated = await call('/auth/validate', { method: 'POST', json: { token: body.access_token } });
      expect(validated).toEqual({
        status: 200,
        body: {
          valid: true,
          user_id: 'service:compliance-monitor',
          roles: ['service'],
          tenant_id: 'default',
        },
      });
    });

    it.each([
      ['a wrong secret', { client_id: 'flaring-monitor', client_secret: `${TEST_SERVICE_CLIENT_SECRET}x` }],
      [
        'a client that is no registry service',
        { client_id: 'intruder', client_secret: TEST_SERVICE_CLIENT_SECRET },
      ],
    ])('answers 401 invalid_client for %s', async (_case, json) => {
      const res = await grant(json);
      const body = (await res.json()) as Record<string, unknown>;
      expectError({ status: res.status, body }, 401, 'invalid_client');
      expect(body.detail).toBe('Invalid client credentials');
      expect(res.headers.get('set-cookie')).toBeNull();
    });

    it('answers 401 invalid_client when SERVICE_CLIENT_SECRET is unset, whatever is sent', async () => {
      await auth.close();
      auth = await startTestAuth({ config: { serviceClientSecret: undefined } });
      for (const secret of [TEST_SERVICE_CLIENT_SECRET, 'undefined', ' ']) {
        const res = await grant({ client_id: 'flaring-monitor', client_secret: secret });
        expectError(
          { status: res.status, body: (await res.json()) as Record<string, unknown> },
          401,
          'invalid_client',
        );
      }
    });

    it('answers 422 naming the missing client_secret', async () => {
      const res = await grant({ client_id: 'flaring-monitor' });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        code: 'validation_error',
        detail: [{ loc: ['body', 'client_secret'], msg: 'field required', type: 'missing' }],
        request_id: expect.any(String),
      });
    });

    it('answers 422 for an unknown grant_type', async () => {
      const res = await auth.fetch('/auth/token', {
        method: 'POST',
        json: { grant_type: 'refresh_token', email: TEST_ADMIN.email, password: TEST_ADMIN.password },
      });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        code: 'validation_error',
        detail: [expect.objectContaining({ loc: ['body', 'grant_type'] })],
      });
    });

    it('still logs in with the password grant named explicitly', async () => {
      const res = await auth.fetch('/auth/token', {
        method: 'POST',
        json: { grant_type: 'password', email: TEST_ADMIN.email, password: TEST_ADMIN.password },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toContain('aegis_token=');
    });
  });

  describe('the password grant', () => {
    it('never puts service in a user token, even if the store holds it', async () => {
      await insertUser(
        auth.store,
        {
          id: randomUUID(),
          tenantId: 'default',
          email: 'planted@x.test',
          displayName: null,
          passwordHash: await auth.core.hasher.hash('password-1'),
          roles: ['service', 'viewer'],
          active: true,
        },
        Date.now(),
      );
      const token = await auth.login('planted@x.test', 'password-1');
      expect(decodeJwt(token).roles).toEqual(['viewer']);
    });
  });

  describe('user administration', () => {
    it('refuses to create a user with the service role (422 naming roles), storing nothing', async () => {
      const before = await countUsers(auth.store);
      const res = await call('/auth/users', {
        method: 'POST',
        token: platform,
        json: { email: 'bot@x.test', password: 'password-1', roles: ['operator', 'service'] },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'validation_error',
        detail: [
          {
            loc: ['body', 'roles', 1],
            msg: 'Invalid option: expected one of "admin"|"operator"|"reviewer"|"viewer"|"platform_admin"',
            type: 'invalid_value',
          },
        ],
        request_id: expect.any(String),
      });
      expect(await countUsers(auth.store)).toBe(before);
      expect(await findUserByEmail(auth.store, 'bot@x.test')).toBeUndefined();
    });

    it('refuses the service role in the account tool’s path too (accounts), storing nothing', async () => {
      const before = await countUsers(auth.store);
      const err = await auth.core.accounts
        .createUser({
          email: 'bot@x.test',
          password: 'password-1',
          displayName: null,
          roles: ['service'],
          tenantId: 'default',
        })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({
        status: 422,
        code: 'validation_error',
        detail: [{ loc: ['body', 'roles', 0], type: 'reserved_role' }],
      });
      expect(await countUsers(auth.store)).toBe(before);
      const admin = (await findUserByEmail(auth.store, TEST_ADMIN.email))!;
      await expect(
        auth.core.accounts.updateUser('default', admin.id, { roles: ['service'] }),
      ).rejects.toMatchObject({
        status: 422,
      });
      expect((await findUserByEmail(auth.store, TEST_ADMIN.email))?.roles).toEqual(admin.roles);
    });

    it('refuses to give an existing user the service role (422), leaving its roles', async () => {
      const made = await call('/auth/users', {
        method: 'POST',
        token: platform,
        json: { email: 'op@x.test', password: 'password-1', roles: ['operator'] },
      });
      expect(made.status).toBe(201);
      const res = await call(`/auth/users/${made.body.id as string}`, {
        method: 'PATCH',
        token: platform,
        json: { roles: ['service'] },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_error', detail: [{ loc: ['body', 'roles', 0] }] });
      expect((await findUserByEmail(auth.store, 'op@x.test'))?.roles).toEqual(['operator']);
    });

    it('gives a service token no administration: users, user changes and key rotation answer 403', async () => {
      const token = await serviceToken();
      const userId = (await findUserByEmail(auth.store, TEST_ADMIN.email))!.id;
      expectError(await call('/auth/users', { token }), 403, 'insufficient_role');
      expectError(await call('/auth/users?tenant_id=acme', { token }), 403, 'insufficient_role');
      expectError(
        await call('/auth/users', {
          method: 'POST',
          token,
          json: { email: 'x@x.test', password: 'password-1', roles: ['viewer'] },
        }),
        403,
        'insufficient_role',
      );
      expectError(
        await call(`/auth/users/${userId}`, { method: 'PATCH', token, json: { password: 'password-2' } }),
        403,
        'insufficient_role',
      );
      expectError(await call('/auth/keys/rotate', { method: 'POST', token }), 403, 'insufficient_role');
      expect(await findUserByEmail(auth.store, 'x@x.test')).toBeUndefined();
    });
  });

  describe('GET /auth/tenants', () => {
    beforeEach(async () => {
      for (const [email, tenant_id] of [
        ['a@acme.test', 'acme'],
        ['b@acme.test', 'acme'],
        ['c@beta.test', 'beta'],
      ]) {
        const made = await call('/auth/users', {
          method: 'POST',
          token: platform,
          json: { email, password: 'password-1', tenant_id, roles: ['admin'] },
        });
        expect(made.status).toBe(201);
      }
    });

    it('lists each tenant that has users once, in the list envelope, to a service token', async () => {
      const res = await call('/auth/tenants', { token: await serviceToken() });
      expect(res).toEqual({
        status: 200,
        body: {
          data: [{ tenant_id: 'acme' }, { tenant_id: 'beta' }, { tenant_id: 'default' }],
          total: 3,
          page: 1,
          page_size: 20,
        },
      });
    });

    it('pages, and lists to a platform admin too', async () => {
      const res = await call('/auth/tenants?limit=1&offset=1', { token: platform });
      expect(res).toEqual({
        status: 200,
        body: { data: [{ tenant_id: 'beta' }], total: 3, page: 2, page_size: 1, limit: 1, offset: 1 },
      });
    });

    it('answers 403 to a tenant admin and to an operator', async () => {
      const tenantAdmin = await auth.login('a@acme.test', 'password-1');
      expectError(await call('/auth/tenants', { token: tenantAdmin }), 403, 'platform_admin_required');
      await call('/auth/users', {
        method: 'POST',
        token: platform,
        json: { email: 'op@acme.test', password: 'password-1', tenant_id: 'acme', roles: ['operator'] },
      });
      const operator = await auth.login('op@acme.test', 'password-1');
      expectError(await call('/auth/tenants', { token: operator }), 403, 'insufficient_role');
    });

    it('answers 401 without a token', async () => {
      expectError(await call('/auth/tenants'), 401, 'missing_token');
    });
  });
});
