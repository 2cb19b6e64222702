import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findUserByEmail } from '../store/users';
import { startTestAuth, TEST_ADMIN, type TestAuth } from '@aegis/testing/auth';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const tenantYaml = (suspended: boolean) =>
  `apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: acme }\nspec: { suspended: ${suspended} }\n`;

/** ADR 0023: a suspended tenant's users get no tokens and their tokens stop working, whether the
 * operator reported the suspension (PUT /auth/tenants/{tenant_id}/state) or the local tenant file says so. */
describe('tenant suspension in the auth service', () => {
  let auth: TestAuth;
  let platform: string;
  let dir: string;
  const worker = { email: 'w@acme.test', password: 'password-1' };

  const call = async (method: string, p: string, token?: string, json?: unknown): Promise<Answer> => {
    const res = await auth.fetch(p, { method, ...(token ? { token } : {}), ...(json ? { json } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const login = (creds: { email: string; password: string }) => call('POST', '/auth/token', undefined, creds);
  const setState = (suspended: boolean, token = platform) =>
    call('PUT', '/auth/tenants/acme/state', token, { suspended });
  const expectSuspended = (res: Answer) => {
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      detail: 'Tenant acme is suspended',
      code: 'tenant_suspended',
      request_id: expect.any(String),
    });
  };

  const start = async (tenantsFile = '') => {
    auth = await startTestAuth({ config: { tenantsFile } });
    platform = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const made = await call('POST', '/auth/users', platform, {
      ...worker,
      roles: ['admin'],
      tenant_id: 'acme',
    });
    expect(made.status).toBe(201);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-tenants-'));
  });
  afterEach(async () => {
    await auth?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('reported by the operator (PUT /auth/tenants/{tenant_id}/state)', () => {
    beforeEach(() => start());

    it('answers 403 tenant_suspended to the right password and records nothing', async () => {
      const token = (await login(worker)).body.access_token as string;
      const before = await findUserByEmail(auth.store, worker.email);
      const put = await setState(true);
      expect(put).toEqual({
        status: 200,
        body: {
          tenant_id: 'acme',
          suspended: true,
          reported_suspended: true,
          updated_at: expect.any(String),
        },
      });
      expectSuspended(await login(worker));
      // A wrong password still answers the one 401: a suspension reveals nothing to a guesser.
      const wrong = await login({ ...worker, password: 'wrong-password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      const after = await findUserByEmail(auth.store, worker.email);
      expect(after!.lastLoginAt).toBe(before!.lastLoginAt);
      // The token issued before the suspension stops working on the auth routes too.
      expectSuspended(await call('GET', '/auth/me', token));
      expectSuspended(await call('POST', '/auth/validate', undefined, { token }));
      // Other tenants are untouched.
      expect((await call('GET', '/auth/me', platform)).status).toBe(200);
    });

    it('lets the users log in again once the suspension is lifted', async () => {
      await setState(true);
      expectSuspended(await login(worker));
      const lifted = await setState(false);
      expect(lifted.body).toMatchObject({ suspended: false, reported_suspended: false });
      expect((await login(worker)).status).toBe(200);
    });

    it('clears the cookie of a suspended tenant’s logout', async () => {
      const token = (await login(worker)).body.access_token as string;
      await setState(true);
      const res = await auth.fetch('/auth/logout', { method: 'POST', token });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toContain('aegis_token=;');
    });

    it('is for platform admins only, and refuses a bad tenant id or body without storing anything', async () => {
      const tenantAdmin = (await login(worker)).body.access_token as string;
      const refused = await setState(true, tenantAdmin);
      expect(refused).toEqual({
        status: 403,
        body: { detail: expect.any(String), code: 'platform_admin_required', request_id: expect.any(String) },
      });
      const bad = await call('PUT', '/auth/tenants/Acme.Corp/state', platform, { suspended: true });
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: expect.any(String), request_id: expect.any(String) });
      expect(JSON.stringify(bad.body.detail)).toContain('tenant_id');
      const noBody = await call('PUT', '/auth/tenants/acme/state', platform, { suspended: 'yes' });
      expect(noBody.status).toBe(422);
      expect(JSON.stringify(noBody.body.detail)).toContain('suspended');
      expect((await call('GET', '/auth/tenants/acme/state', platform)).body).toEqual({
        tenant_id: 'acme',
        suspended: false,
        reported_suspended: false,
        updated_at: null,
      });
      expect((await login(worker)).status).toBe(200);
    });
  });

  describe('the platform tenant', () => {
    beforeEach(() => start());

    it('cannot be suspended (409 platform_tenant), so platform admins keep their access', async () => {
      const res = await call('PUT', '/auth/tenants/default/state', platform, { suspended: true });
      expect(res).toEqual({
        status: 409,
        body: {
          detail: expect.stringContaining('default'),
          code: 'platform_tenant',
          request_id: expect.any(String),
        },
      });
      expect((await call('GET', '/auth/tenants/default/state', platform)).body).toMatchObject({
        suspended: false,
        updated_at: null,
      });
      expect((await call('PUT', '/auth/tenants/default/state', platform, { suspended: false })).status).toBe(
        200,
      );
      expect((await call('GET', '/auth/me', platform)).status).toBe(200);
    });
  });

  describe('from the local tenant file (TENANTS_FILE, no operator)', () => {
    it('refuses login while the file suspends the tenant, and follows edits within 2 s', async () => {
      const file = path.join(dir, 'tenants.yaml');
      fs.writeFileSync(file, tenantYaml(true));
      await start(file);
      expectSuspended(await login(worker));
      expect((await call('GET', '/auth/tenants/acme/state', platform)).body).toMatchObject({
        suspended: true,
        reported_suspended: false,
      });

      fs.writeFileSync(file, tenantYaml(false));
      const lifted = Date.now();
      while ((await login(worker)).status !== 200) {
        expect(Date.now() - lifted).toBeLessThan(2000);
        await new Promise((r) => setTimeout(r, 50));
      }
      const token = (await login(worker)).body.access_token as string;

      fs.writeFileSync(file, tenantYaml(true));
      const suspended = Date.now();
      while ((await call('GET', '/auth/me', token)).status !== 403) {
        expect(Date.now() - suspended).toBeLessThan(2000);
        await new Promise((r) => setTimeout(r, 50));
      }
      expectSuspended(await login(worker));
    });

    it('keeps the last good state when the file becomes invalid', async () => {
      const file = path.join(dir, 'tenants.yaml');
      fs.writeFileSync(file, tenantYaml(true));
      await start(file);
      fs.writeFileSync(file, 'apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: a.b }\n');
      await new Promise((r) => setTimeout(r, 1200));
      expect([...auth.core.tenantStates.fileSuspended()]).toEqual(['acme']);
      expectSuspended(await login(worker));
    });
  });
});
