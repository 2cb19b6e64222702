import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { validatingWebhookConfiguration } from '@aegis/operator';
import { freePort, repoRoot } from '@aegis/testing';
import { type ControlPlane, requireBinaries, type KubeClient, startControlPlane } from '@aegis/e2e';
import { type AuthProcess, startAuthProcess } from '../auth/process';
import {
  eventually,
  FakeGatewayReplica,
  getTenant,
  installOperatorConfig,
  type OperatorProcess,
  serviceAccountKubeconfig,
  startOperator,
  tenantsPath,
} from './support';

const describeControlPlane = requireBinaries().describe;
const built = ['operator', path.join('services', 'auth')].every((p) =>
  fs.existsSync(path.join(repoRoot, p, 'dist', 'main.js')),
);

const openssl = (args: string[]) => promisify(execFile)('openssl', args);

/** A CA and a serving certificate for 127.0.0.1 (what the chart makes with genCA/genSignedCert). */
async function webhookCertificates(dir: string): Promise<string> {
  const at = (f: string) => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
    '-subj',
    '/CN=webhook-ca',
    '-days',
    '1',
  ]);
  await openssl([
    'req',
    '-new',
    ...ec,
    '-keyout',
    at('tls.key'),
    '-out',
    at('tls.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  fs.writeFileSync(at('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl([
    'x509',
    '-req',
    '-in',
    at('tls.csr'),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('tls.crt'),
    '-days',
    '1',
    '-extfile',
    at('san.ext'),
  ]);
  return fs.readFileSync(at('ca.crt')).toString('base64');
}

const ADMIN = { email: 'admin@aegis.local', password: 'aegis-dev-admin' };
const WORKER = { email: 'w@acme.test', password: 'password-1' };

/** ADR 0023 against the real API server: names refused at admission, suspension reaching login. */
describeControlPlane('AegisTenant admission and suspension at login (real control plane)', () => {
  let cp: ControlPlane;
  let k: KubeClient;
  let dir: string;
  let auth: AuthProcess;
  let gateway: FakeGatewayReplica;
  let operator: OperatorProcess | undefined;

  beforeAll(async () => {
    if (!built) throw new Error('operator and auth are not built: run `npm run build`');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-admission-'));
    cp = await startControlPlane({ kubeconfig: null });
    k = cp.client();
    await installOperatorConfig(cp);
    auth = await startAuthProcess({
      DATABASE_URL: `sqlite:${path.join(dir, 'auth.db')}`,
      SCRYPT_LOG_N: '12',
      KEY_ACTIVATION_DELAY_SECONDS: '0',
      REVOCATION_POLL_MS: '200',
      TENANTS_FILE: '',
    });
    const kubeconfig = await serviceAccountKubeconfig(cp, dir);
    gateway = new FakeGatewayReplica(k, 'e2e-0');
    gateway.start();
    const certDir = path.join(dir, 'webhook');
    fs.mkdirSync(certDir);
    const caBundle = await webhookCertificates(certDir);
    const webhookPort = await freePort();
    operator = await startOperator('operator-edges', kubeconfig, {
      AUTH_URL: auth.url,
      AUTH_ADMIN_EMAIL: ADMIN.email,
      AUTH_ADMIN_PASSWORD: ADMIN.password,
      WEBHOOK_PORT: String(webhookPort),
      WEBHOOK_HOST: '127.0.0.1',
      WEBHOOK_CERT_DIR: certDir,
    });
    // The API server calls the operator on loopback, trusting the test CA.
    await cp.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify(
        validatingWebhookConfiguration({
          name: 'aegis-operator',
          namespace: 'aegis',
          caBundle,
          target: { url: `https://127.0.0.1:${webhookPort}` },
        }),
      ),
    );
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await operator?.proc.stop();
    await auth?.stop();
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const apply = async (yaml: string): Promise<string> => {
    try {
      await cp.kubectl(['apply', '-f', '-'], yaml);
      return '';
    } catch (err) {
      return (err as { stderr?: string }).stderr ?? (err as Error).message;
    }
  };
  /** `kubectl patch` of a tenant's spec (a merge patch), as its owner would change it. */
  const patchSpec = (name: string, spec: Record<string, unknown>) =>
    cp.kubectl(['patch', 'at', name, '-n', 'aegis', '--type=merge', '-p', JSON.stringify({ spec })]);
  const tenant = (name: string, spec = '{}') =>
    `apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: ${name}, namespace: aegis }\nspec: ${spec}\n`;

  it('refuses metadata.name acme.corp at apply, naming the rule, and stores nothing', async () => {
    const refused = await apply(tenant('acme.corp'));
    expect(refused).toContain('metadata.name acme.corp is not a lowercase DNS label');
    expect((await k.request('GET', `${tenantsPath}/acme.corp`)).status).toBe(404);
    const tooLong = `t${'x'.repeat(63)}`;
    expect(await apply(tenant(tooLong))).toContain('is not a lowercase DNS label');
    expect(await apply(tenant('acme-corp'))).toBe('');
  }, 60_000);

  it('refuses a second tenant claiming a taken tenant id at apply (the webhook), storing nothing', async () => {
    expect(await apply(tenant('holder', '{ tenantId: shared }'))).toBe('');
    await eventually('holder to be Accepted', 30_000, async () =>
      (await getTenant(k, 'holder'))?.conditions.Accepted?.status === 'True' ? true : undefined,
    );
    const refused = await apply(tenant('shared'));
    expect(refused).toContain('admission webhook "tenant-ids.aegis.io" denied the request');
    expect(refused).toContain('tenant id shared is already used by AegisTenant holder');
    expect((await k.request('GET', `${tenantsPath}/shared`)).status).toBe(404);
    const copy = await apply(tenant('holder-copy', '{ tenantId: shared }'));
    expect(copy).toContain('tenant id shared is already used by AegisTenant holder');
    // The holder itself can still be changed and deleted.
    await patchSpec('holder', { displayName: 'H' });
    await cp.kubectl(['delete', 'at', 'holder', '-n', 'aegis', '--wait=true', '--timeout=30s']);
    expect(await apply(tenant('shared'))).toBe('');
  }, 90_000);

  it('refuses a suspended tenant’s logins within 2 s of kubectl patch, and lets them in again', async () => {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${auth.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const platform = ((await (await post('/auth/token', ADMIN)).json()) as { access_token: string })
      .access_token;
    expect(
      (await post('/auth/users', { ...WORKER, roles: ['viewer'], tenant_id: 'acme' }, platform)).status,
    ).toBe(201);
    expect(await apply(tenant('acme'))).toBe('');
    await eventually('acme to be Accepted', 30_000, async () =>
      (await getTenant(k, 'acme'))?.conditions.Accepted?.status === 'True' ? true : undefined,
    );
    const before = await post('/auth/token', WORKER);
    expect(before.status).toBe(200);
    const token = ((await before.json()) as { access_token: string }).access_token;

    await patchSpec('acme', { suspended: true });
    const patched = Date.now();
    const refused = await eventually('login to be refused', 2000, async () => {
      const res = await post('/auth/token', WORKER);
      return res.status === 403 ? ((await res.json()) as Record<string, unknown>) : undefined;
    });
    const elapsed = Date.now() - patched;
    console.log(`suspension refused the login ${elapsed} ms after kubectl patch`);
    expect(elapsed).toBeLessThanOrEqual(2000);
    expect(refused).toEqual({
      detail: 'Tenant acme is suspended',
      code: 'tenant_suspended',
      request_id: expect.any(String),
    });
    const me = await fetch(`${auth.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(403);

    await patchSpec('acme', { suspended: false });
    await eventually('login to work again', 2000, async () =>
      (await post('/auth/token', WORKER)).status === 200 ? true : undefined,
    );
  }, 90_000);
});
