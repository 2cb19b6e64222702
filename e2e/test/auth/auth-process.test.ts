import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRevocationChecker, createTokenVerifier } from '@aegis/common';
import { decodeProtectedHeader } from 'jose';
import { buildAuth, eventually, runCli, startAuthProcess, type AuthProcess } from './process';

const ADMIN = { email: 'admin@aegis.local', password: 'aegis-dev-admin' };

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await post(`${base}/auth/token`, { email, password });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const meStatus = async (base: string, token: string) =>
  (await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('auth service as a process (node services/auth/dist/main.js)', () => {
  let dir: string;
  let env: Record<string, string>;
  let auth: AuthProcess | undefined;

  beforeAll(async () => {
    await buildAuth();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-auth-proc-'));
    env = {
      DATABASE_URL: `sqlite:${path.join(dir, 'auth.db')}`,
      SCRYPT_LOG_N: '12',
      KEY_ACTIVATION_DELAY_SECONDS: '1',
      REVOCATION_POLL_MS: '200',
      LOG_LEVEL: 'info',
    };
    auth = await startAuthProcess(env);
  }, 300_000);

  afterAll(async () => {
    await auth?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('logs the bootstrap admin in over HTTP; me works with the header and with the cookie', async () => {
    const res = await post(`${auth!.url}/auth/token`, ADMIN);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^aegis_token=[^;]+; HttpOnly; Path=\/; SameSite=Lax; Max-Age=86400$/);
    const { access_token: token } = (await res.json()) as { access_token: string };
    expect(await meStatus(auth!.url, token)).toBe(200);
    const viaCookie = await fetch(`${auth!.url}/auth/me`, { headers: { cookie: cookie.split(';')[0] } });
    expect(viaCookie.status).toBe(200);
    expect(await viaCookie.json()).toMatchObject({
      email: ADMIN.email,
      roles: ['admin', 'platform_admin'],
      tenant_id: 'default',
    });
  });

  it('serves /health, /ready and login metrics on the admin port', async () => {
    expect(await (await fetch(`${auth!.url}/health`)).json()).toEqual({ status: 'ok', service: 'auth' });
    expect((await fetch(`${auth!.url}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${auth!.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/aegis_auth_logins_total\{outcome="success"[^}]*\} [1-9]/);
  });

  it('lets a gateway-style verifier verify tokens remotely and see logouts through the revocation feed', async () => {
    const revocation = createRevocationChecker({
      url: `${auth!.url}/internal/revocations`,
      pollIntervalMs: 100,
    });
    const verifier = createTokenVerifier({ jwksUrl: `${auth!.url}/auth/.well-known/jwks.json`, revocation });
    try {
      const token = await login(auth!.url, ADMIN.email, ADMIN.password);
      await expect(verifier.verify(token)).resolves.toMatchObject({
        email: ADMIN.email,
        roles: ['admin', 'platform_admin'],
      });
      expect((await post(`${auth!.url}/auth/logout`, {}, token)).status).toBe(200);
      await eventually(
        () =>
          verifier.verify(token).then(
            () => false,
            (err: { code?: string }) => err.code === 'invalid_token',
          ),
        10_000,
        'the logout to reach the remote verifier',
      );
    } finally {
      verifier.close();
      revocation.close();
    }
  });

  it('aegis-users creates, lists and deactivates users in the running service store', async () => {
    const created = await runCli(
      [
        'create-user',
        '--email',
        'ops@acme.test',
        '--password-stdin',
        '--roles',
        'operator',
        '--tenant',
        'acme',
        '--display-name',
        'Ops',
      ],
      env,
      'ops-password-1\n',
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/Created user ops@acme.test/);
    const token = await login(auth!.url, 'OPS@acme.test', 'ops-password-1');
    expect(await meStatus(auth!.url, token)).toBe(200);

    const list = await runCli(['list', '--tenant', 'acme'], env);
    expect(list.stdout).toMatch(/^ops@acme\.test\t[0-9a-f-]+\tacme\toperator\tactive$/m);

    const dup = await runCli(['create-user', '--email', 'ops@acme.test', '--password', 'another-pw'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);

    expect((await runCli(['deactivate', '--email', 'ops@acme.test'], env)).code).toBe(0);
    await eventually(
      async () => (await meStatus(auth!.url, token)) === 401,
      10_000,
      'the deactivation to reach the service',
    );
    expect(
      (await post(`${auth!.url}/auth/token`, { email: 'ops@acme.test', password: 'ops-password-1' })).status,
    ).toBe(401);
  });

  it('aegis-users set-roles grants platform_admin, which reaches the next token', async () => {
    await runCli(
      ['create-user', '--email', 'ops@default.test', '--password', 'ops-password-1', '--roles', 'admin'],
      env,
    );
    const before = await login(auth!.url, 'ops@default.test', 'ops-password-1');
    const cross = (token: string) =>
      fetch(`${auth!.url}/auth/users?tenant_id=acme`, { headers: { authorization: `Bearer ${token}` } });
    expect((await cross(before)).status).toBe(403);
    const set = await runCli(
      ['set-roles', '--email', 'ops@default.test', '--roles', 'admin,platform_admin'],
      env,
    );
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toMatch(/Set the roles of ops@default.test to admin,platform_admin/);
    const after = await login(auth!.url, 'ops@default.test', 'ops-password-1');
    expect((await cross(after)).status).toBe(200);
  });

  it('aegis-users set-password replaces a password', async () => {
    await runCli(['create-user', '--email', 'pw@x.test', '--password', 'first-password'], env);
    expect(
      (await runCli(['set-password', '--email', 'pw@x.test', '--password-stdin'], env, 'second-password\n'))
        .code,
    ).toBe(0);
    expect(
      (await post(`${auth!.url}/auth/token`, { email: 'pw@x.test', password: 'first-password' })).status,
    ).toBe(401);
    await expect(login(auth!.url, 'pw@x.test', 'second-password')).resolves.toEqual(expect.any(String));
  });

  it('aegis-users rotate-keys: both keys published, old tokens keep working, new tokens use the new key', async () => {
    const before = await login(auth!.url, ADMIN.email, ADMIN.password);
    const oldKid = decodeProtectedHeader(before).kid;
    const rotated = await runCli(['rotate-keys'], env);
    expect(rotated.code).toBe(0);
    const newKid = /New signing key (\S+)/.exec(rotated.stdout)?.[1];
    expect(newKid).toBeDefined();
    await eventually(
      async () => {
        const jwks = (await (await fetch(`${auth!.url}/auth/.well-known/jwks.json`)).json()) as {
          keys: { kid: string }[];
        };
        const kids = jwks.keys.map((k) => k.kid);
        return kids.includes(newKid!) && kids.includes(oldKid!);
      },
      15_000,
      'both keys in the JWKS',
    );
    let after = '';
    await eventually(
      async () => {
        after = await login(auth!.url, ADMIN.email, ADMIN.password);
        return decodeProtectedHeader(after).kid === newKid;
      },
      20_000,
      'a token signed with the new key',
    );
    expect(await meStatus(auth!.url, after)).toBe(200);
    expect(await meStatus(auth!.url, before)).toBe(200);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const other = await startAuthProcess({ ...env, DATABASE_URL: `sqlite:${path.join(dir, 'second.db')}` });
    expect(await other.stop()).toBe(0);
    expect(other.logs.join('\n')).toMatch(/"msg":"Stopped"/);
  });

  it('refuses to start in production with the default bootstrap password', async () => {
    await expect(
      startAuthProcess({
        ...env,
        NODE_ENV: 'production',
        BOOTSTRAP_ADMIN_PASSWORD: 'aegis-dev-admin',
        DATABASE_URL: `sqlite:${path.join(dir, 'prod.db')}`,
      }),
    ).rejects.toThrow(/exited with 1[\s\S]*BOOTSTRAP_ADMIN_PASSWORD/);
    expect(fs.existsSync(path.join(dir, 'prod.db'))).toBe(false);
  });
});
