import path from 'node:path';
import { SERVICE_NAMES } from '@aegis/common';
import {
  repoRoot,
  startAuthService,
  startGatewayTestbed,
  tempDir,
  waitFor,
  writeGatewayFiles,
  type GatewayTestbed,
  type RunningGateway,
  type RunningService,
} from '@aegis/testing';
import { requireBinaries, startControlPlane, type ControlPlane } from '@aegis/e2e';
import { installOperatorConfig, programmed, startOperator, type OperatorProcess } from '../operator/support';

const samples = path.join(repoRoot, 'operator', 'config', 'samples');

/** Issue 4 end to end: tenants applied with kubectl, the real operator compiling them, and a real
 * gateway process with the Kubernetes source enforcing them. */
requireBinaries().describe('tenants on Kubernetes: kubectl → operator → gateway', () => {
  let cp: ControlPlane;
  let bed: GatewayTestbed;
  let operator: OperatorProcess;
  let gw: RunningGateway;
  let auth: RunningService;

  beforeAll(async () => {
    auth = await startAuthService(tempDir('k8s-auth'));
    cp = await startControlPlane({ components: 'api-server' });
    bed = await startGatewayTestbed();
    await installOperatorConfig(cp);
    // The route table the operator compiles in: every service at the test upstream.
    const files = writeGatewayFiles({
      services: Object.fromEntries(SERVICE_NAMES.map((s) => [s, bed.upstream.url])),
      routes: [
        { prefix: '/api/v1/events', service: 'flaring-monitor' },
        { prefix: '/api/v1/execute', service: 'orchestration' },
      ],
      tenants: [],
    });
    operator = await startOperator('operator-0', cp.kubeconfigPath, {
      ROUTES_FILE: files.routesFile,
      AEGIS_NAMESPACE: 'aegis',
      AUTH_URL: auth.url,
      AUTH_ADMIN_EMAIL: 'admin@aegis.local',
      AUTH_ADMIN_PASSWORD: 'aegis-dev-admin',
    });
    gw = await bed.startGateway({
      files,
      env: {
        CONFIG_SOURCE: 'kubernetes',
        KUBECONFIG: cp.kubeconfigPath,
        AEGIS_NAMESPACE: 'aegis',
        POD_NAME: 'gw-0',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await bed?.stop();
    await operator?.proc.stop();
    await auth?.stop();
    await cp?.stop();
  });

  const statuses = async (tenant: string, user: string, n: number, route = 'events') => {
    const token = await bed.token({ tenant_id: tenant, user_id: user, sub: user });
    return Promise.all(
      Array.from({ length: n }, async () => {
        const res = await fetch(`${gw.url}/api/v1/${route}/echo`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
  };

  it('applies the samples and shows Programmed=True in kubectl get aegistenants', async () => {
    await cp.kubectl(['apply', '-f', samples]);
    const acme = await programmed(cp.client(), 'acme');
    await programmed(cp.client(), 'globex');
    expect(acme.observedGeneration).toBe(acme.generation);
    const { stdout } = await cp.kubectl(['get', 'aegistenants', '-n', 'aegis']);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/PROGRAMMED/);
    for (const row of rows.slice(1)) expect(row).toMatch(/\bTrue\b/);
    // The gateway enforces acme's sample quota: burst 10 per identity, 5 on /api/v1/execute.
    expect((await statuses('acme', 'sample-user', 14)).filter((s) => s === 200)).toHaveLength(10);
    expect((await statuses('acme', 'runner', 8, 'execute')).filter((s) => s === 200)).toHaveLength(5);
  });

  it('enforces a changed requestsPerMinute soon after kubectl apply, and 403 for a suspended tenant', async () => {
    const manifest = (spec: string) =>
      `apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: globex, namespace: aegis }\nspec:\n${spec}`;
    const before = ((await (await fetch(`${gw.adminUrl}/config`)).json()) as { hash: string }).hash;
    const applied = Date.now();
    await cp.kubectl(['apply', '-f', '-'], manifest('  rateLimit: { requestsPerMinute: 3, burst: 3 }\n'));
    await waitFor(
      'the gateway to run the new quota',
      async () => ((await (await fetch(`${gw.adminUrl}/config`)).json()) as { hash: string }).hash !== before,
      15_000,
      20,
    );
    // Reported, not asserted (target: 2 s; shared, noisy machine).
    console.log(
      `requestsPerMinute change enforced by the gateway ${Date.now() - applied} ms after kubectl apply`,
    );
    expect((await statuses('globex', 'quota-user', 6)).filter((s) => s === 200)).toHaveLength(3);
    await programmed(cp.client(), 'globex');

    await cp.kubectl(
      ['apply', '-f', '-'],
      manifest('  suspended: true\n  rateLimit: { requestsPerMinute: 3, burst: 3 }\n'),
    );
    await waitFor(
      'the suspension to reach the gateway',
      async () => (await statuses('globex', 'any', 1))[0] === 403,
      15_000,
      50,
    );
    const token = await bed.token({ tenant_id: 'globex' });
    const res = await fetch(`${gw.url}/api/v1/events/echo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await res.json()).toMatchObject({ code: 'tenant_suspended' });
  });

  it('refuses a tenant whose burst exceeds requestsPerMinute at the API server', async () => {
    const bad = `apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: bad, namespace: aegis }\nspec:\n  rateLimit: { requestsPerMinute: 5, burst: 50 }\n`;
    await expect(cp.kubectl(['apply', '-f', '-'], bad)).rejects.toMatchObject({
      stderr: expect.stringMatching(/spec\.rateLimit\.burst/),
    });
  });
  const login = (email: string, password: string) =>
    fetch(`${auth.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it("creates the tenant's bootstrap admin in the auth service, and deactivates it when the tenant is deleted", async () => {
    // acme's sample names ops@acme.example with the password in the Secret acme-admin.
    const res = await waitFor('the tenant admin to exist', async () => {
      const r = await login('ops@acme.example', 'change-me-acme-admin');
      return r.status === 200 ? r : undefined;
    });
    expect(await res.json()).toMatchObject({ tenant_id: 'acme', roles: ['admin'] });
    await cp.kubectl(['delete', 'aegistenant', 'acme', '-n', 'aegis', '--wait=true', '--timeout=60s']);
    expect((await login('ops@acme.example', 'change-me-acme-admin')).status).toBe(401);
    // And the tenant is gone from the gateway: its tokens are refused as an unknown tenant.
    await waitFor(
      'acme to leave the gateway configuration',
      async () => (await statuses('acme', 'late', 1))[0] === 403,
    );
  });
});
