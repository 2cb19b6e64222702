import { decodeProtectedHeader, decodeJwt } from 'jose';
import { startTestAuth, TEST_ADMIN, type TestAuth } from '@aegis/testing/auth';

describe('auth session endpoints', () => {
  let auth: TestAuth;

  beforeEach(async () => {
    auth = await startTestAuth();
  });

  afterEach(async () => {
    await auth.close();
  });

  describe('POST /auth/token', () => {
    it('answers the token response of spec §2 and sets the aegis_token cookie', async () => {
      const res = await auth.fetch('/auth/token', {
        method: 'POST',
        json: { email: 'ADMIN@aegis.local', password: TEST_ADMIN.password },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(
        [
          'access_token',
          'display_name',
          'email',
          'expires_in',
          'roles',
          'tenant_id',
          'token_type',
          'user_id',
        ].sort(),
      );
      expect(body).toMatchObject({
        token_type: 'bearer',
        expires_in: 3600,
        roles: ['admin', 'platform_admin'],
        email: 'admin@aegis.local',
        tenant_id: 'default',
      });
      const token = body.access_token as string;
      expect(res.headers.get('set-cookie')).toBe(
        `aegis_token=${token}; HttpOnly; Path=/; SameSite=Lax; Max-Age=3600`,
      );
      expect(res.headers.get('cache-control')).toBe('no-store');

      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        sub: body.user_id,
        user_id: body.user_id,
        iss: 'aegis-auth',
        aud: 'aegis-api',
        roles: ['admin', 'platform_admin'],
        tenant_id: 'default',
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
      expect(typeof claims.jti).toBe('string');
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    });

    it('adds Secure to the cookie when configured', async () => {
      const secure = await startTestAuth({ config: { cookieSecure: true } });
      try {
        const res = await secure.fetch('/auth/token', { method: 'POST', json: TEST_ADMIN });
        expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
      } finally {
        await secure.close();
      }
    });

    it('sets SameSite=None with Secure when configured for pages on another site', async () => {
      const crossSite = await startTestAuth({ config: { cookieSecure: true, cookieSameSite: 'None' } });
      try {
        const res = await crossSite.fetch('/auth/token', { method: 'POST', json: TEST_ADMIN });
        expect(res.headers.get('set-cookie')).toMatch(/; SameSite=None; Max-Age=3600; Secure$/);
      } finally {
        await crossSite.close();
      }
    });

    it('answers the same 401 for an unknown email, a wrong password and an inactive user', async () => {
      const admin = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const created = await auth.fetch('/auth/users', {
        method: 'POST',
        token: admin,
        json: { email: 'gone@x.test', password: 'password-1', active: false },
      });
      expect(created.status).toBe(201);
      const attempts = [
        { email: 'nobody@aegis.local', password: 'whatever-1' },
        { email: TEST_ADMIN.email, password: 'wrong-password' },
        { email: 'gone@x.test', password: 'password-1' },
      ];
      const bodies = [];
      for (const a of attempts) {
        const res = await auth.fetch('/auth/token', { method: 'POST', json: a });
        expect(res.status).toBe(401);
        const body = (await res.json()) as Record<string, unknown>;
        delete body.request_id;
        bodies.push(body);
      }
      expect(bodies).toEqual(
        Array(3).fill({ detail: 'Invalid email or password', code: 'invalid_credentials' }),
      );
    });

    it('runs the password hash for an unknown email too (no timing shortcut)', async () => {
      const verify = jest.spyOn(auth.core.hasher, 'verify');
      const dummy = await auth.core.hasher.dummyHash();
      await auth.fetch('/auth/token', {
        method: 'POST',
        json: { email: 'nobody@x.test', password: 'pw-123456' },
      });
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify).toHaveBeenCalledWith('pw-123456', dummy);
    });

    it('answers 422 with loc/msg/type for a body without a password', async () => {
      const res = await auth.fetch('/auth/token', { method: 'POST', json: { email: 'a@b.test' } });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        detail: [{ loc: ['body', 'password'], msg: 'field required', type: 'missing' }],
        code: 'validation_error',
      });
    });

    it('locks an account after five failures, with the same 401, even for the right password', async () => {
      for (let i = 0; i < 5; i += 1) {
        const res = await auth.fetch('/auth/token', {
          method: 'POST',
          json: { email: TEST_ADMIN.email, password: `wrong-${i}` },
        });
        expect(res.status).toBe(401);
      }
      const locked = await auth.fetch('/auth/token', { method: 'POST', json: TEST_ADMIN });
      expect(locked.status).toBe(401);
      expect(await locked.json()).toMatchObject({
        detail: 'Invalid email or password',
        code: 'invalid_credentials',
      });
    });

    it('resets the failure count on a successful login', async () => {
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 4; i += 1) {
          await auth.fetch('/auth/token', {
            method: 'POST',
            json: { email: TEST_ADMIN.email, password: 'nope-nope' },
          });
        }
        await expect(auth.login(TEST_ADMIN.email, TEST_ADMIN.password)).resolves.toEqual(expect.any(String));
      }
    });
  });

  describe('GET /auth/me', () => {
    it('answers the caller with the bearer header and with the cookie', async () => {
      const token = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const viaHeader = await auth.fetch('/auth/me', { token });
      expect(viaHeader.status).toBe(200);
      const me = (await viaHeader.json()) as Record<string, unknown>;
      expect(me).toMatchObject({
        email: 'admin@aegis.local',
        roles: ['admin', 'platform_admin'],
        tenant_id: 'default',
        active: true,
      });
      expect(me).not.toHaveProperty('password_hash');
      const viaCookie = await auth.fetch('/auth/me', {
        headers: { cookie: `theme=dark; aegis_token=${token}` },
      });
      expect(viaCookie.status).toBe(200);
      expect(((await viaCookie.json()) as { user_id: string }).user_id).toBe(me.user_id);
    });

    it('answers the three 401 messages of spec §2', async () => {
      const missing = await auth.fetch('/auth/me');
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({
        detail: 'Authorization header required',
        code: 'missing_token',
      });
      const invalid = await auth.fetch('/auth/me', { token: 'not.a.token' });
      expect(await invalid.json()).toMatchObject({ detail: 'Invalid token', code: 'invalid_token' });
    });
  });

  describe('token expiry', () => {
    it('answers "Token has expired" once the TTL has passed', async () => {
      let clock = Date.now();
      const timed = await startTestAuth({ now: () => clock });
      try {
        const token = await timed.login(TEST_ADMIN.email, TEST_ADMIN.password);
        expect((await timed.fetch('/auth/me', { token })).status).toBe(200);
        clock += 3600_000 + 10_000;
        const res = await timed.fetch('/auth/me', { token });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ detail: 'Token has expired', code: 'token_expired' });
      } finally {
        await timed.close();
      }
    });
  });

  describe('POST /auth/logout', () => {
    it('clears the cookie and revokes the token at once', async () => {
      const token = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const res = await auth.fetch('/auth/logout', { method: 'POST', token });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBe('aegis_token=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0');
      const after = await auth.fetch('/auth/me', { token });
      expect(after.status).toBe(401);
      expect(await after.json()).toMatchObject({ detail: 'Invalid token' });
      const feed = (await (await auth.fetch('/internal/revocations')).json()) as {
        revoked_tokens: { jti: string }[];
      };
      expect(feed.revoked_tokens.map((t) => t.jti)).toContain(decodeJwt(token).jti);
    });

    it('logs out with the cookie alone', async () => {
      const token = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const res = await auth.fetch('/auth/logout', {
        method: 'POST',
        headers: { cookie: `aegis_token=${token}` },
      });
      expect(res.status).toBe(200);
      expect((await auth.fetch('/auth/me', { token })).status).toBe(401);
    });

    it('still clears the cookie for an invalid token', async () => {
      const res = await auth.fetch('/auth/logout', { method: 'POST', token: 'x.y.z' });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toMatch(/^aegis_token=; .*Max-Age=0/);
    });
  });

  describe('POST /auth/validate', () => {
    it('answers {valid,user_id,roles,tenant_id} for a valid token in the body or the header', async () => {
      const token = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const viaBody = await auth.fetch('/auth/validate', { method: 'POST', json: { token } });
      expect(viaBody.status).toBe(200);
      const body = await viaBody.json();
      expect(body).toEqual({
        valid: true,
        user_id: decodeJwt(token).sub,
        roles: ['admin', 'platform_admin'],
        tenant_id: 'default',
      });
      const viaHeader = await auth.fetch('/auth/validate', { method: 'POST', token });
      expect(await viaHeader.json()).toEqual(body);
    });

    it('answers 401 for an invalid token', async () => {
      const res = await auth.fetch('/auth/validate', { method: 'POST', json: { token: 'a.b.c' } });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ detail: 'Invalid token', code: 'invalid_token' });
    });
  });

  describe('ANY /auth/forward-auth', () => {
    it.each(['GET', 'POST', 'DELETE'])('answers 200 with the identity headers for %s', async (method) => {
      const token = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const res = await auth.fetch('/auth/forward-auth', { method, token });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aegis-user-id')).toBe(decodeJwt(token).sub);
      expect(res.headers.get('x-aegis-tenant-id')).toBe('default');
      expect(res.headers.get('x-aegis-roles')).toBe('admin,platform_admin');
    });

    it('answers 401 without a token', async () => {
      const res = await auth.fetch('/auth/forward-auth');
      expect(res.status).toBe(401);
      expect(res.headers.get('x-aegis-user-id')).toBeNull();
    });
  });

  describe('GET /auth/.well-known/jwks.json', () => {
    it('publishes the public key that signed the token, and no private part', async () => {
      const token = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const jwks = (await (await auth.fetch('/auth/.well-known/jwks.json')).json()) as {
        keys: Record<string, unknown>[];
      };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({
        kty: 'OKP',
        crv: 'Ed25519',
        alg: 'EdDSA',
        use: 'sig',
        kid: decodeProtectedHeader(token).kid,
      });
      expect(jwks.keys[0]).not.toHaveProperty('d');
    });
  });

  describe('service endpoints', () => {
    it('answers /health, /ready and /openapi.json', async () => {
      expect(await (await auth.fetch('/health')).json()).toEqual({ status: 'ok', service: 'auth' });
      expect((await auth.fetch('/ready')).status).toBe(200);
      const doc = (await (await auth.fetch('/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/auth/token', '/auth/users/{id}']));
    });

    it('answers 404 JSON for an unknown path', async () => {
      const res = await auth.fetch('/auth/nope');
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'route_not_found' });
    });
  });
});
