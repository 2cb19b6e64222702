import { randomBytes } from 'node:crypto';
import { createLogger, createSealer, openStore, sql, type Store } from '@aegis/common';
import {
  AUTH_MIGRATIONS,
  createKeyRing,
  findTenantState,
  findUserByEmail,
  listUsers,
  migrateAuthStore,
  purgeExpiredRevocations,
  revocationFeed,
  revokeToken,
  writeLoginState,
  writeTenantState,
} from '@aegis/auth';
import { startTestAuth, TEST_ADMIN, type TestAuth } from '@aegis/testing/auth';

const KEK_VARIABLE = 'SIGNING_KEY_ENCRYPTION_KEY';

const policy = { tokenTtlSec: 3600, toleranceSec: 5, activationDelaySec: 0 };

/** The auth store behaviour every backend must show; `url()` names a store already reachable. */
export function authStoreContract(url: () => string): void {
  let store: Store;
  let auth: TestAuth | undefined;

  beforeEach(async () => {
    store = await openStore({ url: url() });
    await migrateAuthStore(store);
    for (const table of ['users', 'signing_keys', 'revoked_tokens', 'tenant_states'])
      await sql`DELETE FROM ${sql.table(table)}`.execute(store.db);
  });

  afterEach(async () => {
    await auth?.close();
    auth = undefined;
    await store.close();
  });

  const start = async (config: Parameters<typeof startTestAuth>[0] = {}) => {
    auth = await startTestAuth({ databaseUrl: url(), ...config });
    return auth;
  };

  it('migrates idempotently', async () => {
    await store.migrate('auth', AUTH_MIGRATIONS);
    const { rows } = await sql<{
      id: string;
    }>`SELECT id FROM schema_migrations WHERE service = 'auth' ORDER BY id`.execute(store.db);
    expect(rows.map((r) => r.id)).toEqual(AUTH_MIGRATIONS.map((m) => m.id));
  });

  it('logs in, answers me, logs out and refuses the revoked token', async () => {
    const a = await start();
    const token = await a.login(TEST_ADMIN.email.toUpperCase(), TEST_ADMIN.password);
    expect((await a.fetch('/auth/me', { token })).status).toBe(200);
    expect((await a.fetch('/auth/logout', { method: 'POST', token })).status).toBe(200);
    expect((await a.fetch('/auth/me', { token })).status).toBe(401);
    const [row] = (await sql<{ n: number }>`SELECT COUNT(*) AS n FROM revoked_tokens`.execute(store.db)).rows;
    expect(row?.n).toBe(1);
  });

  it('records tenant state as an upsert whose updated_at moves only on a change', async () => {
    expect(await findTenantState(store, 'acme')).toEqual({
      tenantId: 'acme',
      suspended: false,
      updatedAt: null,
    });
    expect(await writeTenantState(store, 'acme', true, 1000)).toEqual({
      tenantId: 'acme',
      suspended: true,
      updatedAt: 1000,
    });
    expect((await writeTenantState(store, 'acme', true, 2000)).updatedAt).toBe(1000);
    expect(await writeTenantState(store, 'acme', false, 3000)).toEqual({
      tenantId: 'acme',
      suspended: false,
      updatedAt: 3000,
    });
    expect((await findTenantState(store, 'other')).suspended).toBe(false);
  });

  it('keeps emails unique regardless of case and finds them case-insensitively', async () => {
    const a = await start();
    await a.core.accounts.createUser({
      email: 'Mixed@Case.test',
      password: 'password-1',
      displayName: null,
      roles: ['viewer'],
      tenantId: 'acme',
    });
    await expect(
      a.core.accounts.createUser({
        email: 'mixed@case.TEST',
        password: 'password-1',
        displayName: null,
        roles: ['viewer'],
        tenantId: 'other',
      }),
    ).rejects.toMatchObject({ status: 409, code: 'duplicate_email' });
    expect((await findUserByEmail(store, ' MIXED@case.test '))?.tenantId).toBe('acme');
  });

  it('lists users of one tenant with exact role filters, sorting and paging', async () => {
    const a = await start();
    const mk = (email: string, tenantId: string, roles: ('viewer' | 'reviewer')[]) =>
      a.core.accounts.createUser({ email, password: 'password-1', displayName: null, roles, tenantId });
    await mk('b@t.test', 't1', ['reviewer']);
    await mk('a@t.test', 't1', ['viewer']);
    await mk('c@t.test', 't1', ['viewer', 'reviewer']);
    await mk('z@t.test', 't2', ['viewer']);
    const page = await listUsers(
      store,
      { tenantId: 't1' },
      { limit: 2, offset: 0, sortBy: 'email', sortDir: 'asc' },
    );
    expect(page.total).toBe(3);
    expect(page.users.map((u) => u.email)).toEqual(['a@t.test', 'b@t.test']);
    const viewers = await listUsers(
      store,
      { tenantId: 't1', role: 'viewer' },
      { limit: 10, offset: 0, sortBy: 'email', sortDir: 'desc' },
    );
    expect(viewers.users.map((u) => u.email)).toEqual(['c@t.test', 'a@t.test']);
  });

  it('writes lockout state only from the version it read (compare-and-set)', async () => {
    await start();
    const user = (await findUserByEmail(store, TEST_ADMIN.email))!;
    expect(await writeLoginState(store, user, { failedLogins: 1, lockedUntil: null }, {})).toBe(true);
    expect(await writeLoginState(store, user, { failedLogins: 1, lockedUntil: null }, {})).toBe(false);
    expect((await findUserByEmail(store, TEST_ADMIN.email))?.failedLogins).toBe(1);
  });

  it('counts concurrent failed logins so the account locks', async () => {
    const a = await start();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        a.fetch('/auth/token', { method: 'POST', json: { email: TEST_ADMIN.email, password: `bad-${i}` } }),
      ),
    );
    expect(attempts.every((r) => r.status === 401)).toBe(true);
    const user = (await findUserByEmail(store, TEST_ADMIN.email))!;
    expect(user.lockedUntil).not.toBeNull();
    expect((await a.fetch('/auth/token', { method: 'POST', json: TEST_ADMIN })).status).toBe(401);
  });

  it('serves the revocation feed in full and then incrementally', async () => {
    const a = await start();
    const nowMs = Date.now();
    const nowSec = Math.floor(nowMs / 1000);
    await revokeToken(
      store,
      { jti: 'live', tenantId: 'default', userId: 'u1', exp: nowSec + 600 },
      nowMs - 60_000,
    );
    await revokeToken(
      store,
      { jti: 'dead', tenantId: 'default', userId: 'u1', exp: nowSec - 1 },
      nowMs - 60_000,
    );
    const full = await revocationFeed(store, undefined, nowMs, 3600);
    expect(full.full).toBe(true);
    expect(full.revoked_tokens).toEqual([{ jti: 'live', exp: nowSec + 600 }]);
    expect(full.users).toEqual([]);

    await revokeToken(
      store,
      { jti: 'new', tenantId: 'default', userId: 'u1', exp: nowSec + 600 },
      nowMs + 10,
    );
    const admin = (await findUserByEmail(store, TEST_ADMIN.email))!;
    const other = await a.core.accounts.createUser({
      email: 'o@x.test',
      password: 'password-1',
      displayName: null,
      roles: ['viewer'],
      tenantId: 'default',
    });
    await a.core.accounts.updateUser(
      'default',
      other.id,
      { active: false },
      { userId: admin.id, roles: admin.roles },
    );
    const inc = await revocationFeed(store, Number(full.cursor), Date.now(), 3600);
    expect(inc.full).toBe(false);
    expect(inc.revoked_tokens.map((t) => t.jti)).toEqual(['new']);
    // Users created or changed within the window are sent too (harmless); the deactivation is there.
    expect(inc.users).toContainEqual({
      user_id: other.id,
      active: false,
      tokens_valid_from: expect.any(Number),
    });
    expect(inc.users.filter((u) => u.user_id !== other.id).every((u) => u.active)).toBe(true);
    const later = await revocationFeed(store, Date.now() + 60_000, Date.now() + 60_000, 3600);
    expect(later).toMatchObject({ revoked_tokens: [], users: [] });

    expect(await purgeExpiredRevocations(store, nowSec)).toBe(1);
  });

  it('keeps signing keys across restarts and publishes both keys after a rotation', async () => {
    const sealer = createSealer(undefined, KEK_VARIABLE);
    const ring = createKeyRing({ store, sealer, policy });
    const first = (await ring.signingKey()).kid;
    const again = createKeyRing({ store, sealer, policy });
    expect((await again.signingKey()).kid).toBe(first);
    const { kid, retired } = await again.rotate();
    expect(retired.map((r) => r.kid)).toEqual([first]);
    const third = createKeyRing({ store, sealer, policy });
    expect((await third.signingKey()).kid).toBe(kid);
    expect((await third.jwks()).keys.map((k) => k.kid).sort()).toEqual([first, kid].sort());
  });

  it('seals private keys at rest when a key-encryption key is set', async () => {
    const kek = randomBytes(32);
    const ring = createKeyRing({ store, sealer: createSealer(kek, KEK_VARIABLE), policy });
    await ring.ensureKey();
    const [row] = (await sql<{ private_jwk: string }>`SELECT private_jwk FROM signing_keys`.execute(store.db))
      .rows;
    expect(row?.private_jwk).toMatch(/^sealed:v1:/);
    expect(row?.private_jwk).not.toContain('"d"');
    await expect(
      createKeyRing({ store, sealer: createSealer(kek, KEK_VARIABLE), policy }).signingKey(),
    ).resolves.toBeDefined();
    await expect(
      createKeyRing({ store, sealer: createSealer(undefined, KEK_VARIABLE), policy }).signingKey(),
    ).rejects.toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
  });
}

export const silentLogger = createLogger({ service: 'auth-e2e', level: 'silent' });
