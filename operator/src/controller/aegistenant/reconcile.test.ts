import { configHash, createLogger } from '@aegis/common';
import { FakeKubeApi } from '@aegis/kube/testing';
import type { AdminProvisioner } from '../../auth/admin-client';
import { configMapsResource, leasesResource, secretsResource, tenantsResource } from '../../k8s/resources';
import type { ConfigMap, KubeObject, Lease } from '@aegis/kube';
import type { TenantObject } from './desired';
import { TenantReconciler } from './reconcile';
import type { RoutesDocument } from './routes';

const NS = 'aegis';
const T = tenantsResource(NS);
const CM = configMapsResource(NS);
const L = leasesResource(NS);
const S = secretsResource(NS);
const routes: RoutesDocument = {
  services: { auth: { url: 'http://127.0.0.1:8009' } },
  routes: [{ prefix: '/api/v1/auth', service: 'auth' }],
};
const log = createLogger({ service: 'operator-test', level: 'silent' });
const NOW = Date.parse('2026-01-01T00:00:00Z');

const tenant = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisTenant',
  metadata: { name, namespace: NS },
  spec,
});

/** A reconciler over `api`'s objects, as the controller builds it from its informers' caches. */
const reconcilerOn = (
  api: FakeKubeApi,
  now: () => number,
  admin?: AdminProvisioner,
  extra: { maxTenantConfigBytes?: number; pendingGraceMs?: number } = { pendingGraceMs: 0 },
) =>
  new TenantReconciler({
    ...extra,
    api,
    namespace: NS,
    gatewayConfigMapName: 'aegis-gateway-config',
    tenants: api.cache<TenantObject>(T),
    configMaps: api.cache<ConfigMap>(CM),
    leases: api.cache<Lease>(L),
    routes,
    admin,
    log,
    now,
  });

/** The tenants' gateway entries as a gateway assembles them: every labelled per-tenant piece. */
const pieces = (api: FakeKubeApi) =>
  api
    .cache<ConfigMap>(CM)
    .list()
    .filter((cm) => cm.metadata.labels?.['aegis.io/gateway-config'] === 'tenant')
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
const servedNames = (api: FakeKubeApi) =>
  pieces(api).map((cm) => JSON.parse(cm.data!['gateway.json']).name as string);

function setup(admin?: AdminProvisioner) {
  const api = new FakeKubeApi();
  const r = reconcilerOn(api, () => NOW, admin);
  /** Plays a gateway replica that runs every piece the operator wrote so far (or up to `applied`). */
  const gatewayRuns = (applied?: string) => {
    const watermark = String(Math.max(0, ...pieces(api).map((cm) => Number(cm.metadata.resourceVersion))));
    api.put(L, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: 'aegis-gateway-0',
        annotations: {
          'aegis.io/config-hash': 'h'.repeat(64),
          'aegis.io/config-applied': applied ?? watermark,
        },
      },
      spec: {
        holderIdentity: 'gw-0',
        leaseDurationSeconds: 15,
        renewTime: new Date(NOW - 1000).toISOString(),
      },
    });
  };
  const status = (name: string) => api.peek<TenantObject>(T, name)!.status!;
  const cond = (name: string, type: string) => status(name).conditions!.find((c) => c.type === type)!;
  return { api, r, gatewayRuns, status, cond };
}

describe('TenantReconciler', () => {
  it('accepts a valid tenant: finalizer, owned tenant ConfigMap carrying its gateway entry, status at its generation', async () => {
    const { api, r, cond, status } = setup();
    api.put(T, tenant('acme', { rateLimit: { requestsPerMinute: 50, burst: 5 }, config: { tz: 'UTC' } }));
    await r.reconcile('acme');
    const t = api.peek<TenantObject>(T, 'acme')!;
    expect(t.metadata.finalizers).toEqual(['aegis.io/finalizer']);
    const cm = api.peek<ConfigMap>(CM, 'aegis-tenant-acme')!;
    expect(cm.metadata.ownerReferences).toEqual([
      expect.objectContaining({ name: 'acme', uid: t.metadata.uid, controller: true }),
    ]);
    const entry = JSON.parse(cm.data!['gateway.json']);
    // The gateway entry leaves out spec.config (for the services only).
    expect(entry).toEqual({
      name: 'acme',
      generation: 1,
      spec: { rateLimit: { requestsPerMinute: 50, burst: 5 } },
    });
    expect(JSON.parse(cm.data!['config.json'])).toEqual({ tz: 'UTC' });
    expect(cm.metadata.labels).toMatchObject({ 'aegis.io/gateway-config': 'tenant' });
    expect(cm.metadata.annotations).toEqual({
      'aegis.io/config-hash': configHash(entry),
      'aegis.io/tenant-generation': '1',
    });
    // The global ConfigMap holds the routes and services only: no object holds every tenant.
    const gw = api.peek<ConfigMap>(CM, 'aegis-gateway-config');
    expect(gw).toBeUndefined();
    await r.syncGatewayConfig();
    const doc = JSON.parse(api.peek<ConfigMap>(CM, 'aegis-gateway-config')!.data!['config.json']);
    expect(doc).toEqual({ ...routes, tenants: [] });
    expect(cond('acme', 'Accepted')).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(cond('acme', 'Programmed')).toMatchObject({ status: 'False', reason: 'NoGatewayReplicas' });
    expect(status('acme')).toMatchObject({
      observedGeneration: 1,
      tenantId: 'acme',
      configHash: configHash(entry),
    });
  });

  it('sets Programmed once every running replica reports a config with the current generation', async () => {
    const { api, r, gatewayRuns, cond } = setup();
    api.put(T, tenant('acme'));
    await r.reconcile('acme');
    gatewayRuns('1');
    await r.reconcile('acme');
    expect(cond('acme', 'Programmed')).toMatchObject({ status: 'False', reason: 'GatewaysPending' });
    gatewayRuns();
    const result = await r.reconcile('acme');
    expect(cond('acme', 'Programmed')).toMatchObject({
      status: 'True',
      reason: 'AllGatewaysLoaded',
      message: 'Every running gateway replica runs generation 1',
    });
    expect(cond('acme', 'Ready')).toMatchObject({ status: 'True' });
    // No timer per tenant: the controller watches the leases (and their expiry) for it.
    expect(result).toEqual({});
  });

  it('writes nothing when reconciling an unchanged tenant again', async () => {
    const { api, r, gatewayRuns } = setup();
    api.put(T, tenant('acme', { config: { tz: 'UTC' } }));
    await r.reconcile('acme');
    await r.syncGatewayConfig();
    gatewayRuns();
    await r.reconcile('acme');
    const before = api.writes.length;
    await r.reconcile('acme');
    await r.reconcile('acme');
    await r.syncGatewayConfig();
    expect(api.writes.slice(before)).toEqual([]);
  });

  it('a fresh reconciler (an operator restart) writes nothing either', async () => {
    const { api, r, gatewayRuns } = setup();
    api.put(T, tenant('acme'));
    await r.reconcile('acme');
    gatewayRuns();
    await r.reconcile('acme');
    const before = api.writes.length;
    const again = reconcilerOn(api, () => NOW + 5_000); // the replica's lease still runs
    await again.reconcile('acme');
    expect(api.writes.slice(before)).toEqual([]);
  });

  it('marks a tenant whose id is taken as not accepted, without error and without a finalizer', async () => {
    const { api, r, cond } = setup();
    api.put(T, tenant('acme'));
    api.put(T, tenant('acme-2', { tenantId: 'acme' }));
    await r.reconcile('acme');
    await expect(r.reconcile('acme-2')).resolves.toEqual({});
    expect(cond('acme-2', 'Accepted')).toMatchObject({ status: 'False', reason: 'TenantIdConflict' });
    expect(api.peek<TenantObject>(T, 'acme-2')!.metadata.finalizers).toBeUndefined();
    expect(servedNames(api)).toEqual(['acme']);
  });

  it('reports a failure as Degraded and throws (for backoff), while the gateway config still serves the others', async () => {
    const { api, r, cond } = setup({ ensureAdmin: jest.fn(), deactivateUsers: jest.fn() });
    api.put(T, tenant('globex'));
    api.put(
      T,
      tenant('acme', {
        admin: { email: 'ops@acme.example', passwordSecretRef: { name: 'missing', key: 'pw' } },
      }),
    );
    await expect(r.reconcile('acme')).rejects.toThrow(/Secret missing not found/);
    expect(cond('acme', 'Degraded')).toMatchObject({ status: 'True', reason: 'AdminSecretNotFound' });
    expect(cond('acme', 'AdminProvisioned')).toMatchObject({
      status: 'False',
      reason: 'AdminSecretNotFound',
    });
    await r.reconcile('globex');
    expect(servedNames(api)).toEqual(['acme', 'globex']);
  });

  it('provisions the bootstrap admin from the Secret once, and says AuthNotConfigured without an auth service', async () => {
    const ensureAdmin = jest.fn().mockResolvedValue('created');
    const { api, r, cond } = setup({ ensureAdmin, deactivateUsers: jest.fn() });
    api.put(S, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'acme-admin' },
      data: { pw: Buffer.from('s3cret-pass').toString('base64') },
    });
    api.put(
      T,
      tenant('acme', {
        displayName: 'Acme',
        admin: { email: 'ops@acme.example', passwordSecretRef: { name: 'acme-admin', key: 'pw' } },
      }),
    );
    await r.reconcile('acme');
    await r.reconcile('acme');
    expect(ensureAdmin).toHaveBeenCalledTimes(1);
    expect(ensureAdmin).toHaveBeenCalledWith({
      tenantId: 'acme',
      email: 'ops@acme.example',
      password: 's3cret-pass',
      displayName: 'Acme',
    });
    expect(cond('acme', 'AdminProvisioned')).toMatchObject({ status: 'True', reason: 'Created' });

    const plain = setup();
    plain.api.put(
      T,
      tenant('acme', { admin: { email: 'ops@acme.example', passwordSecretRef: { name: 'x', key: 'y' } } }),
    );
    await plain.r.reconcile('acme');
    expect(plain.cond('acme', 'AdminProvisioned')).toMatchObject({
      status: 'False',
      reason: 'AuthNotConfigured',
    });
  });

  it('on deletion removes the tenant from the gateway config and deactivates its users before releasing it', async () => {
    const order: string[] = [];
    const { api, r } = setup({
      ensureAdmin: jest.fn(),
      deactivateUsers: jest.fn(async (id: string) => {
        order.push(`deactivate ${id} (gateway has ${servedNames(api).join(',')})`);
        return 2;
      }),
    });
    api.put(T, tenant('acme'));
    api.put(T, tenant('globex'));
    await r.reconcile('acme');
    await r.reconcile('globex');
    await api.delete(T, 'acme');
    expect(api.peek(T, 'acme')).toBeDefined(); // held by the finalizer
    await r.reconcile('acme');
    expect(order).toEqual(['deactivate acme (gateway has globex)']);
    expect(api.peek(T, 'acme')).toBeUndefined();
  });

  it('marks the condition transition time only when a status flips', async () => {
    let now = NOW;
    const api = new FakeKubeApi();
    const r = reconcilerOn(api, () => now);
    api.put(T, tenant('acme'));
    await r.reconcile('acme');
    const accepted = () =>
      api.peek<TenantObject>(T, 'acme')!.status!.conditions!.find((c) => c.type === 'Accepted')!;
    const first = accepted().lastTransitionTime;
    now += 3_600_000;
    api.put(T, tenant('acme', { displayName: 'Acme' })); // generation 2
    await r.reconcile('acme');
    expect(accepted()).toMatchObject({ observedGeneration: 2, lastTransitionTime: first });
  });

  it('isolates a tenant whose ConfigMap would be too large: only it is marked, naming the size and the limit, and it keeps its last good piece', async () => {
    const api = new FakeKubeApi();
    const r = reconcilerOn(api, () => NOW, undefined, { maxTenantConfigBytes: 4096, pendingGraceMs: 0 });
    api.put(T, tenant('huge', { config: { a: 'x' } }));
    api.put(T, tenant('small'));
    await r.reconcile('huge');
    await r.reconcile('small');
    const good = api.peek<ConfigMap>(CM, 'aegis-tenant-huge')!;
    api.put(T, tenant('huge', { config: { a: 'x'.repeat(4000), b: 'y'.repeat(1000) } })); // generation 2
    api.put(T, tenant('small', { suspended: true })); // generation 2
    const writes = api.writes.length;
    await expect(r.reconcile('huge')).resolves.toEqual({});
    await r.reconcile('small');
    const huge = api.peek<TenantObject>(T, 'huge')!.status!;
    const programmed = huge.conditions!.find((c) => c.type === 'Programmed')!;
    expect(programmed).toMatchObject({ status: 'False', reason: 'ConfigTooLarge', observedGeneration: 2 });
    expect(programmed.message).toMatch(/aegis-tenant-huge\) is 5,\d{3} bytes, over the 4,096-byte limit/);
    expect(programmed.message).toContain('the gateways keep running generation 1');
    // Nothing was sent for it; the last good piece stays.
    expect(api.peek<ConfigMap>(CM, 'aegis-tenant-huge')!.metadata.resourceVersion).toBe(
      good.metadata.resourceVersion,
    );
    expect(api.writes.slice(writes).filter((w) => w.path.endsWith('aegis-tenant-huge'))).toEqual([]);
    // The other tenant's change flows.
    const small = JSON.parse(api.peek<ConfigMap>(CM, 'aegis-tenant-small')!.data!['gateway.json']);
    expect(small).toMatchObject({ generation: 2, spec: { suspended: true } });
  });

  it('writes the status of a new generation once when the gateways apply it within the grace period', async () => {
    let now = NOW;
    const api = new FakeKubeApi();
    const r = reconcilerOn(api, () => now, undefined, { pendingGraceMs: 3000 });
    const lease = (applied: string) =>
      api.put(L, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: 'aegis-gateway-0',
          annotations: { 'aegis.io/config-hash': 'h', 'aegis.io/config-applied': applied },
        },
        spec: { holderIdentity: 'gw-0', leaseDurationSeconds: 15, renewTime: new Date(now).toISOString() },
      });
    api.put(T, tenant('acme'));
    lease('0');
    expect(await r.reconcile('acme')).toEqual({ requeueAfterMs: 3000 });
    lease(api.peek<ConfigMap>(CM, 'aegis-tenant-acme')!.metadata.resourceVersion!);
    await r.reconcile('acme');
    const statusWrites = () => api.writes.filter((w) => w.path.endsWith('/acme/status')).length;
    expect(statusWrites()).toBe(1);
    api.put(T, tenant('acme', { rateLimit: { requestsPerMinute: 200 } }));
    expect(await r.reconcile('acme')).toEqual({ requeueAfterMs: 3000 });
    expect(statusWrites()).toBe(1);
    lease(api.peek<ConfigMap>(CM, 'aegis-tenant-acme')!.metadata.resourceVersion!);
    await r.reconcile('acme');
    expect(statusWrites()).toBe(2);
    const programmed = api
      .peek<TenantObject>(T, 'acme')!
      .status!.conditions!.find((c) => c.type === 'Programmed');
    expect(programmed).toMatchObject({ status: 'True', observedGeneration: 2 });
    // A replica that never catches up: after the grace the status says so.
    api.put(T, tenant('acme', { rateLimit: { requestsPerMinute: 300 } }));
    await r.reconcile('acme');
    now += 3000;
    await r.reconcile('acme');
    expect(
      api.peek<TenantObject>(T, 'acme')!.status!.conditions!.find((c) => c.type === 'Programmed'),
    ).toMatchObject({
      status: 'False',
      reason: 'GatewaysPending',
      observedGeneration: 3,
    });
  });

  it('keeps every tenant in the global ConfigMap while a gateway from before per-tenant pieces runs (upgrade path)', async () => {
    const { api, r } = setup();
    api.put(T, tenant('acme'));
    await r.reconcile('acme');
    const replica = (annotations: Record<string, string>) =>
      api.put(L, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'aegis-gateway-old', annotations },
        spec: {
          holderIdentity: 'old',
          leaseDurationSeconds: 15,
          renewTime: new Date(NOW - 1000).toISOString(),
        },
      });
    const globalTenants = () =>
      JSON.parse(api.peek<ConfigMap>(CM, 'aegis-gateway-config')!.data!['config.json']).tenants.map(
        (t: { name: string }) => t.name,
      );
    replica({ 'aegis.io/config-hash': 'h' });
    await r.syncGatewayConfig();
    expect(globalTenants()).toEqual(['acme']);
    // Replaced by a gateway that follows the pieces: the global ConfigMap holds no tenant again.
    replica({ 'aegis.io/config-hash': 'h', 'aegis.io/config-applied': '0' });
    await r.syncGatewayConfig();
    expect(globalTenants()).toEqual([]);
  });
});
