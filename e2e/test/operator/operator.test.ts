import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configHash } from '@aegis/common';
import { repoRoot, tempDir } from '@aegis/testing';
import { type ControlPlane, requireBinaries, type KubeClient, startControlPlane } from '@aegis/e2e';
import {
  configMapsPath,
  eventually,
  FakeGatewayReplica,
  gatewayConfig,
  getTenant,
  installOperatorConfig,
  leasesPath,
  type OperatorProcess,
  operatorDir,
  programmed,
  serviceAccountKubeconfig,
  startOperator,
  tenantsPath,
} from './support';

const describeControlPlane = requireBinaries().describe;
const built = fs.existsSync(path.join(repoRoot, 'operator', 'dist', 'main.js'));

const tenantYaml = (name: string, spec: string) =>
  `apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: ${name}, namespace: aegis }\nspec:\n${spec}\n`;

/** kubectl's failure text (stderr), or '' when the command succeeded. */
async function refused(cp: ControlPlane, yaml: string): Promise<string> {
  try {
    await cp.kubectl(['apply', '-f', '-'], yaml);
    return '';
  } catch (err) {
    return (err as { stderr?: string }).stderr ?? (err as Error).message;
  }
}

describeControlPlane('the operator against a real control plane', () => {
  let cp: ControlPlane;
  let k: KubeClient;
  let dir: string;
  let kubeconfig: string;
  let gateway: FakeGatewayReplica;
  const operators: OperatorProcess[] = [];

  beforeAll(async () => {
    if (!built)
      throw new Error('operator/dist/main.js is not built: run `npx tsc -b operator` (or npm run build)');
    dir = tempDir('operator');
    // A control plane of its own: the suite restarts the API server.
    cp = await startControlPlane({ kubeconfig: null });
    k = cp.client();
    await installOperatorConfig(cp);
    kubeconfig = await serviceAccountKubeconfig(cp, dir);
    gateway = new FakeGatewayReplica(k, 'e2e-0');
    gateway.start();
    operators.push(await startOperator('operator-a', kubeconfig));
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    for (const o of operators) await o.proc.stop();
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** `kubectl patch` of a tenant's spec (a merge patch), as an operator's user would change it. */
  const patchTenant = (name: string, spec: Record<string, unknown>) =>
    cp.kubectl(['patch', 'at', name, '-n', 'aegis', '--type=merge', '-p', JSON.stringify({ spec })]);

  const leaseHolder = async () =>
    (await k.request('GET', `${leasesPath}/aegis-operator-leader`)).body?.spec?.holderIdentity as
      string | undefined;

  it('turns the sample tenants into ConfigMaps, gateway-config entries and Accepted, Programmed status', async () => {
    await cp.kubectl(['apply', '-f', path.join(operatorDir, 'config', 'samples')]);
    const acme = await programmed(k, 'acme');
    const globex = await programmed(k, 'globex');
    expect(acme.conditions.Programmed.reason).toBe('AllGatewaysLoaded');
    // Names the generation, not a fleet-wide hash or the replica count: it changes only with the tenant.
    expect(acme.conditions.Programmed.message).toBe(
      `Every running gateway replica runs generation ${acme.generation}`,
    );
    expect(acme.finalizers).toContain('aegis.io/finalizer');
    // No auth service configured: said so, never silently.
    expect(acme.conditions.AdminProvisioned).toMatchObject({ status: 'False', reason: 'AuthNotConfigured' });

    const cm = await k.request('GET', `${configMapsPath}/aegis-tenant-acme`);
    expect(cm.status).toBe(200);
    expect(cm.body.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'AegisTenant', name: 'acme', controller: true }),
    ]);
    expect(JSON.parse(cm.body.data['config.json'])).toEqual({ timezone: 'America/Chicago' });
    expect((await k.request('GET', `${configMapsPath}/aegis-tenant-globex`)).status).toBe(200);

    const gw = (await gatewayConfig(k))!;
    expect(gw.document.tenants.map((t) => [t.name, t.generation])).toEqual([
      ['acme', acme.generation],
      ['globex', globex.generation],
    ]);
    // The global ConfigMap holds no tenant; each hash beside a document is what a gateway computes
    // from the parsed document, and the tenant's status carries the hash of its own entry.
    const global = (await k.request('GET', `${configMapsPath}/aegis-gateway-config`)).body;
    const globalDoc = JSON.parse(global.data['config.json']);
    expect(globalDoc.tenants).toEqual([]);
    expect(gw.globalHash).toBe(configHash(globalDoc));
    expect(gw.globalAnnotation).toBe(gw.globalHash);
    const acmeEntry = gw.document.tenants.find((t) => t.name === 'acme');
    expect(gw.entryHashes.acme).toBe(configHash(acmeEntry));
    expect(acme.configHash).toBe(gw.entryHashes.acme);
    expect(gateway.runningHash()).toBe(gw.hash);

    const table = (await cp.kubectl(['get', 'aegistenants', '-n', 'aegis'])).stdout;
    expect(table).toMatch(/NAME\s+TENANT ID\s+REQUESTS\/MIN\s+PROGRAMMED\s+AGE/);
    expect(table).toMatch(/acme\s+acme\s+100\s+True/);
    expect(table).toMatch(/globex\s+globex\s+300\s+True/);
  }, 120_000);

  it('programs a quota change at the new generation', async () => {
    await patchTenant('acme', { rateLimit: { requestsPerMinute: 200 } });
    const acme = await programmed(k, 'acme');
    expect(acme.generation).toBe(2);
    const gw = (await gatewayConfig(k))!;
    expect(gw.document.tenants.find((t) => t.name === 'acme')).toMatchObject({
      generation: 2,
      spec: { rateLimit: { requestsPerMinute: 200 } },
    });
    expect(acme.configHash).toBe(gw.entryHashes.acme);
  }, 60_000);

  it('has invalid tenants refused by the API server with a message naming the field', async () => {
    const tooBursty = await refused(
      cp,
      tenantYaml('bursty', '  rateLimit: { requestsPerMinute: 10, burst: 20 }'),
    );
    expect(tooBursty).toContain('spec.rateLimit.burst');
    expect(tooBursty).toContain('must not exceed');
    const routeBursty = await refused(
      cp,
      tenantYaml(
        'bursty',
        '  rateLimit:\n    routes: [{ name: runs, pathPrefix: /api/v1/execute, requestsPerMinute: 5, burst: 6 }]',
      ),
    );
    expect(routeBursty).toContain('spec.rateLimit.routes[0].burst');
    const renamed = await refused(cp, tenantYaml('acme', '  tenantId: acme-renamed'));
    expect(renamed).toContain('spec.tenantId');
    expect(renamed).toContain('immutable');
    const badPolicy = await refused(cp, tenantYaml('bursty', '  rateLimit: { failurePolicy: Sometimes }'));
    expect(badPolicy).toContain('spec.rateLimit.failurePolicy');
    expect((await k.request('GET', `${tenantsPath}/bursty`)).status).toBe(404);
  }, 60_000);

  it('marks a tenant whose id is taken Accepted=False, leaves it out of the gateway and does not retry it', async () => {
    await cp.kubectl(['apply', '-f', '-'], tenantYaml('acme-copy', '  tenantId: acme'));
    const copy = await eventually('acme-copy to be rejected', 30_000, async () => {
      const t = await getTenant(k, 'acme-copy');
      return t?.conditions.Accepted?.status === 'False' ? t : undefined;
    });
    expect(copy.conditions.Accepted.reason).toBe('TenantIdConflict');
    expect(copy.conditions.Accepted.message).toContain('acme');
    expect(copy.conditions.Programmed).toMatchObject({ status: 'False', reason: 'NotAccepted' });
    expect((await gatewayConfig(k))!.document.tenants.map((t) => t.name)).toEqual(['acme', 'globex']);
    // Marked, not retried: no errors, and its status is not rewritten.
    const op = operators[0];
    expect(await op.metric('aegis_operator_reconcile_errors_total')).toBe(0);
    const rv = copy.resourceVersion;
    await sleep(3000);
    expect((await getTenant(k, 'acme-copy'))!.resourceVersion).toBe(rv);
    await cp.kubectl(['delete', 'at', 'acme-copy', '-n', 'aegis', '--wait=true', '--timeout=30s']);
    // Its deletion must not touch acme (the same tenant id, still live).
    await programmed(k, 'acme');
  }, 60_000);

  it('writes nothing to unchanged objects after a restart', async () => {
    await programmed(k, 'acme');
    await programmed(k, 'globex');
    const versions = async () => ({
      acme: (await getTenant(k, 'acme'))!.resourceVersion,
      globex: (await getTenant(k, 'globex'))!.resourceVersion,
      gateway: (await k.request('GET', `${configMapsPath}/aegis-gateway-config`)).body.metadata
        .resourceVersion,
      acmeCm: (await k.request('GET', `${configMapsPath}/aegis-tenant-acme`)).body.metadata.resourceVersion,
      globexCm: (await k.request('GET', `${configMapsPath}/aegis-tenant-globex`)).body.metadata
        .resourceVersion,
    });
    const before = await versions();
    await operators[0].proc.stop();
    operators[0] = await startOperator('operator-a', kubeconfig);
    const op = operators[0];
    // It reconciled every key (both tenants and the gateway configuration) at least once ...
    await eventually('the restarted operator to reconcile every tenant', 30_000, async () =>
      (await op.metric('aegis_operator_reconciles_total', { outcome: 'success' })) >= 3 &&
      (await op.metric('aegis_operator_queue_depth')) === 0
        ? true
        : undefined,
    );
    // ... and a lease renewal of the gateway replica (every 5 s) that changes nothing enqueues nothing.
    const seen = await op.metric('aegis_operator_reconciles_total');
    await sleep(6000);
    expect(await op.metric('aegis_operator_reconciles_total')).toBe(seen);
    const writes = (await op.metrics()).entries();
    const nonLease = [...writes].filter(
      ([series, value]) =>
        series.startsWith('aegis_operator_kube_writes_total{') &&
        !series.includes('resource="leases"') &&
        value > 0,
    );
    expect(nonLease).toEqual([]);
    expect(await versions()).toEqual(before);
  }, 90_000);

  it('reconciles with exactly one of two replicas, and hands the Lease over when the leader dies', async () => {
    const a = operators[0];
    const b = await startOperator('operator-b', kubeconfig);
    operators.push(b);
    expect(await leaseHolder()).toBe('operator-a');
    await patchTenant('globex', { rateLimit: { burst: 40 } });
    expect((await programmed(k, 'globex')).generation).toBe(2);
    expect(await a.metric('aegis_operator_leader')).toBe(1);
    expect(await b.metric('aegis_operator_leader')).toBe(0);
    expect(await b.metric('aegis_operator_reconciles_total')).toBe(0);
    expect(await b.metric('aegis_operator_kube_writes_total')).toBe(0);
    expect(await a.metric('aegis_operator_reconciles_total')).toBeGreaterThan(0);

    a.proc.signal('SIGKILL');
    await eventually('operator-b to take the leader Lease', 30_000, async () =>
      (await leaseHolder()) === 'operator-b' ? true : undefined,
    );
    await patchTenant('globex', { rateLimit: { burst: 50 } });
    expect((await programmed(k, 'globex')).generation).toBe(3);
    expect(await b.metric('aegis_operator_leader')).toBe(1);
    expect(await b.metric('aegis_operator_reconciles_total')).toBeGreaterThan(0);
    await a.proc.stop();
    operators.splice(0, 1);
  }, 120_000);

  it('recovers its watches after the API server stops and starts again', async () => {
    const op = operators[operators.length - 1];
    const restartsBefore = await op.metric('aegis_operator_watch_restarts_total');
    await cp.stopApiServer();
    await sleep(2000);
    await cp.startApiServer();
    await patchTenant('acme', { suspended: true });
    const acme = await programmed(k, 'acme', 90_000);
    expect(acme.generation).toBe(3);
    expect((await gatewayConfig(k))!.document.tenants.find((t) => t.name === 'acme')?.spec).toMatchObject({
      suspended: true,
    });
    expect(await op.metric('aegis_operator_watch_restarts_total')).toBeGreaterThan(restartsBefore);
  }, 150_000);

  it('removes a deleted tenant from the gateway config, releases it and garbage-collects its ConfigMap', async () => {
    await cp.kubectl(['delete', 'at', 'globex', '-n', 'aegis', '--wait=true', '--timeout=60s']);
    expect((await k.request('GET', `${tenantsPath}/globex`)).status).toBe(404);
    const gw = (await gatewayConfig(k))!;
    expect(gw.document.tenants.map((t) => t.name)).toEqual(['acme']);
    expect(gw.hash).toBe(configHash(gw.document));
    // The operator deletes the tenant's ConfigMap before releasing it (the garbage collector would
    // too, through the owner reference, but only after its discovery resync, ~30 s).
    await eventually('aegis-tenant-globex to be deleted', 90_000, async () =>
      (await k.request('GET', `${configMapsPath}/aegis-tenant-globex`)).status === 404 ? true : undefined,
    );
    expect((await k.request('GET', `${configMapsPath}/aegis-tenant-acme`)).status).toBe(200);
  }, 150_000);
});
