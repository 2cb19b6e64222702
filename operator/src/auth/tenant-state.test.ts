import { startTestAuth, TEST_ADMIN, type TestAuth } from '@aegis/testing/auth';
import { createAuthAdminClient } from './admin-client';

/** The operator's report of spec.suspended, against the real auth app (ADR 0023). */
describe('AdminProvisioner.reportTenantState', () => {
  let auth: TestAuth;
  let clock = 0;
  const worker = { email: 'w@acme.test', password: 'password-1' };
  const login = async () => (await auth.fetch('/auth/token', { method: 'POST', json: worker })).status;

  beforeEach(async () => {
    auth = await startTestAuth();
    const platform = await auth.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const made = await auth.fetch('/auth/users', {
      method: 'POST',
      token: platform,
      json: { ...worker, roles: ['viewer'], tenant_id: 'acme' },
    });
    expect(made.status).toBe(201);
  });
  afterEach(() => auth.close());

  const client = () =>
    createAuthAdminClient({ url: auth.url, ...TEST_ADMIN, stateTtlMs: 60_000, now: () => clock });

  it('suspends and lifts a tenant’s logins, sending a state again only when it changed or aged', async () => {
    const c = client();
    expect(await login()).toBe(200);
    expect(await c.reportTenantState!('acme', true)).toBe('reported');
    expect(await login()).toBe(403);
    expect(await c.reportTenantState!('acme', true)).toBe('unchanged');
    clock += 60_000;
    expect(await c.reportTenantState!('acme', true)).toBe('reported');
    expect(await c.reportTenantState!('acme', false)).toBe('reported');
    expect(await login()).toBe(200);
  });

  it('fails with the auth service’s answer when the credentials are not a platform admin’s', async () => {
    const c = createAuthAdminClient({ url: auth.url, ...worker });
    await expect(c.reportTenantState!('acme', true)).rejects.toThrow(/report the state of tenant acme.*403/);
    expect(await login()).toBe(200);
  });
});
