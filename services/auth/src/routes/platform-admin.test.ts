import { decodeJwt } from 'jose';
import { findUserByEmail } from '../store/users';
import { startTestAuth, TEST_ADMIN, type TestAuth } from '@aegis/testing/auth';

interface ErrorBody {
  detail: string;
  code: string;
  request_id: string;
}

/** Platform administration is the `platform_admin` role, granted only by a platform admin (ADR 0018). */
describe('platform administration', () => {
  let auth: TestAuth;
  /** The bootstrap admin: admin and platform admin. */
  let platform: string;
  /** An admin of tenant `default` without platform_admin. */
  let defaultAdmin: string;
  let defaultAdminId: string;

  const create = async (token: string, json: Record<string, unknown>) => {
    const res = await auth.fetch('/auth/users', { method: 'POST', token, json });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const patch = async (token: string, id: string, json: Record<string, unknown>) => {
    const res = await auth.fetch(`/auth/users/${id}`, { method: 'PATCH', token, json });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const expectRefused = (res: { status: number; body: Record<string, unknown> }, code: string) => {
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code, detail: expect.any(String), request_id: expect.any(String) });
  };

  beforeEach(async () => {
    auth = await startTestAuth();
    platform = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const made = await create(platform, {
      email: 'ops@default.test',
      password: 'password-1',
      roles: ['admin'],
    });
    expect(made.status).toBe(201);
    defaultAdminId = made.body.id as string;
    defaultAdmin = await auth.login('ops@default.test', 'password-1');
    expect(
      (await create(platform, { email: 'w@acme.test', password: 'password-1', tenant_id: 'acme' })).status,
    ).toBe(201);
  });

  afterEach(async () => {
    await auth.close();
  });

  it('gives the bootstrap admin platform_admin, in the token and in GET /auth/me', async () => {
    expect(decodeJwt(platform).roles).toEqual(['admin', 'platform_admin']);
    const me = await auth.fetch('/auth/me', { token: platform });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenant_id: 'default', roles: ['admin', 'platform_admin'] });
    const other = await auth.fetch('/auth/me', { token: defaultAdmin });
    expect(await other.json()).toMatchObject({ tenant_id: 'default', roles: ['admin'] });
  });

  it('keeps an admin of tenant default inside it: another tenant is 403 cross_tenant', async () => {
    const res = await auth.fetch('/auth/users?tenant_id=acme', { token: defaultAdmin });
    expectRefused(
      { status: res.status, body: (await res.json()) as Record<string, unknown> },
      'cross_tenant',
    );
    expectRefused(
      await create(defaultAdmin, { email: 'x@acme.test', password: 'password-1', tenant_id: 'acme' }),
      'cross_tenant',
    );
    expect(await findUserByEmail(auth.store, 'x@acme.test')).toBeUndefined();
    const rotate = await auth.fetch('/auth/keys/rotate', { method: 'POST', token: defaultAdmin });
    expect(rotate.status).toBe(403);
    expect(((await rotate.json()) as ErrorBody).code).toBe('platform_admin_required');
  });

  it('lets a platform admin read and change the users of another tenant', async () => {
    const res = await auth.fetch('/auth/users?tenant_id=acme', { token: platform });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { total: number; data: { email: string; tenant_id: string }[] };
    expect(list.data).toEqual([expect.objectContaining({ email: 'w@acme.test', tenant_id: 'acme' })]);
  });

  it('refuses a tenant admin creating a platform admin (403), storing nothing', async () => {
    const res = await create(defaultAdmin, {
      email: 'root@default.test',
      password: 'password-1',
      roles: ['admin', 'platform_admin'],
    });
    expectRefused(res, 'platform_admin_required');
    expect(await findUserByEmail(auth.store, 'root@default.test')).toBeUndefined();
  });

  it('refuses a tenant admin granting platform_admin to themself or to another user', async () => {
    expectRefused(
      await patch(defaultAdmin, defaultAdminId, { roles: ['admin', 'platform_admin'] }),
      'platform_admin_required',
    );
    const viewer = await create(defaultAdmin, { email: 'v@default.test', password: 'password-1' });
    expectRefused(
      await patch(defaultAdmin, viewer.body.id as string, { roles: ['platform_admin'] }),
      'platform_admin_required',
    );
    expect((await findUserByEmail(auth.store, 'ops@default.test'))?.roles).toEqual(['admin']);
    expect((await findUserByEmail(auth.store, 'v@default.test'))?.roles).toEqual(['viewer']);
    // The refused attempt did not cut the caller's tokens off either.
    expect((await auth.fetch('/auth/me', { token: defaultAdmin })).status).toBe(200);
  });

  it('refuses a tenant admin changing a platform admin of its tenant (no password reset, no demotion)', async () => {
    const platformId = decodeJwt(platform).sub as string;
    for (const change of [{ password: 'taken-over-1' }, { roles: ['viewer'] }, { active: false }]) {
      expectRefused(await patch(defaultAdmin, platformId, change), 'platform_admin_required');
    }
    expect((await findUserByEmail(auth.store, TEST_ADMIN.email))?.roles).toEqual(['admin', 'platform_admin']);
    expect((await auth.fetch('/auth/me', { token: platform })).status).toBe(200);
    await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
  });

  it('lets a platform admin grant platform_admin deliberately, but not drop their own', async () => {
    const granted = await patch(platform, defaultAdminId, { roles: ['admin', 'platform_admin'] });
    expect(granted.status).toBe(200);
    expect(granted.body.roles).toEqual(['admin', 'platform_admin']);
    const promoted = await auth.login('ops@default.test', 'password-1');
    expect((await auth.fetch('/auth/users?tenant_id=acme', { token: promoted })).status).toBe(200);

    const self = await patch(platform, decodeJwt(platform).sub as string, { roles: ['admin'] });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({ code: 'self_lockout', request_id: expect.any(String) });
  });
});

describe('bootstrap admin on a store from before platform_admin', () => {
  let auth: TestAuth;

  beforeEach(async () => {
    auth = await startTestAuth();
  });

  afterEach(async () => {
    await auth.close();
  });

  const rolesOf = async (email: string) => (await findUserByEmail(auth.store, email))?.roles;

  it('grants platform_admin to the configured admin only, when no user holds it', async () => {
    const { accounts } = auth.core;
    const boot = (await findUserByEmail(auth.store, TEST_ADMIN.email))!;
    await accounts.updateUser('default', boot.id, { roles: ['admin'] }); // as stored before the role existed
    await accounts.createUser({
      email: 'ops@default.test',
      password: 'password-1',
      displayName: null,
      roles: ['admin'],
      tenantId: 'default',
    });

    await accounts.bootstrap(TEST_ADMIN, 'default');
    expect(await rolesOf(TEST_ADMIN.email)).toEqual(['admin', 'platform_admin']);
    expect(await rolesOf('ops@default.test')).toEqual(['admin']);
  });

  it('changes nothing when a platform admin exists, or when the configured admin is no admin of default', async () => {
    const { accounts } = auth.core;
    const boot = (await findUserByEmail(auth.store, TEST_ADMIN.email))!;
    const other = await accounts.createUser({
      email: 'root@default.test',
      password: 'password-1',
      displayName: null,
      roles: ['admin', 'platform_admin'],
      tenantId: 'default',
    });
    await accounts.updateUser('default', boot.id, { roles: ['admin'] });
    await accounts.bootstrap(TEST_ADMIN, 'default');
    expect(await rolesOf(TEST_ADMIN.email)).toEqual(['admin']);

    await accounts.updateUser('default', other.id, { active: false });
    await accounts.updateUser('default', boot.id, { roles: ['viewer'] });
    await accounts.bootstrap(TEST_ADMIN, 'default');
    expect(await rolesOf(TEST_ADMIN.email)).toEqual(['viewer']);
  });
});
