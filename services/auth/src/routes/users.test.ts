import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startTestAuth, TEST_ADMIN, type TestAuth } from '@aegis/testing/auth';

interface UserBody {
  id: string;
  email: string;
  roles: string[];
  tenant_id: string;
  active: boolean;
}

describe('auth user administration', () => {
  let auth: TestAuth;
  let admin: string;

  const create = async (token: string, json: Record<string, unknown>) => {
    const res = await auth.fetch('/auth/users', { method: 'POST', token, json });
    return { status: res.status, body: (await res.json()) as UserBody & Record<string, unknown> };
  };

  beforeEach(async () => {
    auth = await startTestAuth();
    admin = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterEach(async () => {
    await auth.close();
  });

  describe('POST /auth/users', () => {
    it('creates a user who can then log in with a case-insensitive email', async () => {
      const { status, body } = await create(admin, {
        email: 'Op@Example.test',
        password: 'op-password',
        roles: ['operator'],
        display_name: 'Op',
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        email: 'op@example.test',
        roles: ['operator'],
        tenant_id: 'default',
        active: true,
        display_name: 'Op',
      });
      expect(body).not.toHaveProperty('password_hash');
      const token = await auth.login('OP@EXAMPLE.TEST', 'op-password');
      expect(decodeJwt(token)).toMatchObject({ roles: ['operator'], display_name: 'Op' });
    });

    it('answers 409 for a duplicate email in any letter case', async () => {
      expect((await create(admin, { email: 'dup@x.test', password: 'password-1' })).status).toBe(201);
      const again = await create(admin, { email: 'DUP@x.test', password: 'password-2' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'duplicate_email' });
    });

    it('answers 422 with loc/msg/type for a bad body', async () => {
      const { status, body } = await create(admin, {
        email: 'not-an-email',
        password: 'short',
        roles: ['root'],
        extra: 1,
      });
      expect(status).toBe(422);
      const locs = (body.detail as { loc: string[]; type: string }[]).map((d) => d.loc.join('.'));
      expect(locs).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.roles.0']));
    });

    it('answers 403 for a non-admin and 401 without a token', async () => {
      await create(admin, {
        email: 'v@x.test',
        password: 'password-1',
        roles: ['viewer', 'operator', 'reviewer'],
      });
      const viewer = await auth.login('v@x.test', 'password-1');
      const res = await create(viewer, { email: 'w@x.test', password: 'password-1' });
      expect(res.status).toBe(403);
      expect((await auth.fetch('/auth/users')).status).toBe(401);
      expect((await auth.fetch('/auth/users', { token: viewer })).status).toBe(403);
    });
  });

  describe('tenancy', () => {
    it('scopes a tenant admin to their tenant; a platform admin may name any tenant', async () => {
      expect(
        (
          await create(admin, {
            email: 'boss@acme.test',
            password: 'password-1',
            roles: ['admin'],
            tenant_id: 'acme',
          })
        ).status,
      ).toBe(201);
      const acme = await auth.login('boss@acme.test', 'password-1');
      await create(acme, { email: 'worker@acme.test', password: 'password-1' });

      const acmeList = (await (await auth.fetch('/auth/users', { token: acme })).json()) as {
        data: UserBody[];
        total: number;
      };
      expect(acmeList.total).toBe(2);
      expect(acmeList.data.every((u) => u.tenant_id === 'acme')).toBe(true);

      const cross = await auth.fetch('/auth/users?tenant_id=default', { token: acme });
      expect(cross.status).toBe(403);
      expect(await cross.json()).toMatchObject({ code: 'cross_tenant' });
      expect(
        (await create(acme, { email: 'x@y.test', password: 'password-1', tenant_id: 'default' })).status,
      ).toBe(403);

      // The platform admin's own tenant by default, another one when named.
      const own = (await (await auth.fetch('/auth/users', { token: admin })).json()) as { total: number };
      expect(own.total).toBe(1);
      const named = (await (await auth.fetch('/auth/users?tenant_id=acme', { token: admin })).json()) as {
        total: number;
      };
      expect(named.total).toBe(2);
    });

    it('answers 404 when a tenant admin patches a user of another tenant', async () => {
      await create(admin, {
        email: 'boss@acme.test',
        password: 'password-1',
        roles: ['admin'],
        tenant_id: 'acme',
      });
      const acme = await auth.login('boss@acme.test', 'password-1');
      const adminId = decodeJwt(admin).sub as string;
      const res = await auth.fetch(`/auth/users/${adminId}`, {
        method: 'PATCH',
        token: acme,
        json: { active: false },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('GET /auth/users', () => {
    it('answers the §6 envelope with paging, sorting and filters', async () => {
      for (const name of ['c', 'a', 'b'])
        await create(admin, {
          email: `${name}@x.test`,
          password: 'password-1',
          roles: name === 'b' ? ['reviewer'] : ['viewer'],
        });
      const page = (await (
        await auth.fetch('/auth/users?sort_by=email&sort_dir=asc&page=1&page_size=2', { token: admin })
      ).json()) as Record<string, unknown>;
      expect(page).toMatchObject({ total: 4, page: 1, page_size: 2 });
      expect((page.data as UserBody[]).map((u) => u.email)).toEqual(['a@x.test', 'admin@aegis.local']);
      const offset = (await (
        await auth.fetch('/auth/users?sort_by=email&limit=2&offset=2', { token: admin })
      ).json()) as Record<string, unknown>;
      expect(offset).toMatchObject({ limit: 2, offset: 2 });
      expect((offset.data as UserBody[]).map((u) => u.email)).toEqual(['b@x.test', 'c@x.test']);
      // `viewer` must not match `reviewer`.
      const viewers = (await (await auth.fetch('/auth/users?role=viewer', { token: admin })).json()) as {
        data: UserBody[];
      };
      expect(viewers.data.map((u) => u.email).sort()).toEqual(['a@x.test', 'c@x.test']);
      const bad = await auth.fetch('/auth/users?sort_by=password_hash', { token: admin });
      expect(bad.status).toBe(422);
    });
  });

  describe('PATCH /auth/users/{id}', () => {
    it('deactivating a user refuses their existing token at once and their logins', async () => {
      const { body } = await create(admin, { email: 'u@x.test', password: 'password-1' });
      const token = await auth.login('u@x.test', 'password-1');
      expect((await auth.fetch('/auth/me', { token })).status).toBe(200);
      const res = await auth.fetch(`/auth/users/${body.id}`, {
        method: 'PATCH',
        token: admin,
        json: { active: false },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ active: false });
      expect((await auth.fetch('/auth/me', { token })).status).toBe(401);
      expect(
        (
          await auth.fetch('/auth/token', {
            method: 'POST',
            json: { email: 'u@x.test', password: 'password-1' },
          })
        ).status,
      ).toBe(401);

      // Reactivation does not bring the old token back; a new login works.
      await auth.fetch(`/auth/users/${body.id}`, { method: 'PATCH', token: admin, json: { active: true } });
      expect((await auth.fetch('/auth/me', { token })).status).toBe(401);
      const fresh = await auth.login('u@x.test', 'password-1');
      expect((await auth.fetch('/auth/me', { token: fresh })).status).toBe(200);
    });

    it('a password reset refuses the old password and the old token; the new password works', async () => {
      const { body } = await create(admin, { email: 'p@x.test', password: 'password-1' });
      const old = await auth.login('p@x.test', 'password-1');
      const res = await auth.fetch(`/auth/users/${body.id}`, {
        method: 'PATCH',
        token: admin,
        json: { password: 'password-2' },
      });
      expect(res.status).toBe(200);
      expect((await auth.fetch('/auth/me', { token: old })).status).toBe(401);
      expect(
        (
          await auth.fetch('/auth/token', {
            method: 'POST',
            json: { email: 'p@x.test', password: 'password-1' },
          })
        ).status,
      ).toBe(401);
      const fresh = await auth.login('p@x.test', 'password-2');
      expect((await auth.fetch('/auth/me', { token: fresh })).status).toBe(200);
    });

    it('changes roles and display name; the new roles reach the next token', async () => {
      const { body } = await create(admin, { email: 'r@x.test', password: 'password-1' });
      const res = await auth.fetch(`/auth/users/${body.id}`, {
        method: 'PATCH',
        token: admin,
        json: { roles: ['reviewer', 'operator'], display_name: 'Rev' },
      });
      expect(await res.json()).toMatchObject({ roles: ['operator', 'reviewer'], display_name: 'Rev' });
      expect(decodeJwt(await auth.login('r@x.test', 'password-1'))).toMatchObject({
        roles: ['operator', 'reviewer'],
        display_name: 'Rev',
      });
    });

    it('refuses an admin deactivating themselves, an empty patch and unknown fields', async () => {
      const me = decodeJwt(admin).sub as string;
      const self = await auth.fetch(`/auth/users/${me}`, {
        method: 'PATCH',
        token: admin,
        json: { active: false },
      });
      expect(self.status).toBe(409);
      expect(
        (await auth.fetch(`/auth/users/${me}`, { method: 'PATCH', token: admin, json: {} })).status,
      ).toBe(422);
      expect(
        (await auth.fetch(`/auth/users/${me}`, { method: 'PATCH', token: admin, json: { role: 'viewer' } }))
          .status,
      ).toBe(422);
      expect(
        (
          await auth.fetch('/auth/users/missing-id', {
            method: 'PATCH',
            token: admin,
            json: { active: true },
          })
        ).status,
      ).toBe(404);
    });
  });

  describe('POST /auth/keys/rotate', () => {
    it('signs new tokens with the new key while tokens of the old key stay valid', async () => {
      const oldKid = decodeProtectedHeader(admin).kid;
      const res = await auth.fetch('/auth/keys/rotate', { method: 'POST', token: admin });
      expect(res.status).toBe(200);
      const { kid } = (await res.json()) as { kid: string };
      expect(kid).not.toBe(oldKid);
      const jwks = (await (await auth.fetch('/auth/.well-known/jwks.json')).json()) as {
        keys: { kid: string }[];
      };
      expect(jwks.keys.map((k) => k.kid).sort()).toEqual([kid, oldKid].sort());
      expect((await auth.fetch('/auth/me', { token: admin })).status).toBe(200);
      const fresh = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
      expect(decodeProtectedHeader(fresh).kid).toBe(kid);
      expect((await auth.fetch('/auth/me', { token: fresh })).status).toBe(200);
    });

    it('is refused to a tenant admin', async () => {
      await create(admin, {
        email: 'boss@acme.test',
        password: 'password-1',
        roles: ['admin'],
        tenant_id: 'acme',
      });
      const acme = await auth.login('boss@acme.test', 'password-1');
      expect((await auth.fetch('/auth/keys/rotate', { method: 'POST', token: acme })).status).toBe(403);
    });
  });
});
