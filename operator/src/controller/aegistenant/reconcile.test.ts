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
const reconcilerOn = (api: FakeKubeApi, now: () => number, admin?: AdminProvisioner) =>
  new TenantReconciler({
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

function setup(admin?: AdminProvisioner) {
  const api = new FakeKubeApi();
  const r = reconcilerOn(api, () => NOW, admin);
  /** Plays a gateway replica that runs whatever the operator last wrote. */
  const gatewayRuns = (hash?: string) => {
    const doc = JSON.parse(api.peek<ConfigMap>(CM, 'aegis-gateway-config')!.data!['config.json']);
    api.put(L, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'aegis-gateway-0', annotations: { 'aegis.io/config-hash': hash ?? configHash(doc) } },
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
  it('accepts a valid tenant: finalizer, owned tenant ConfigMap, gateway entry, status at its generation', async () => {
    const { api, r, cond, status } = setup();
    api.put(T, tenant('acme', { rateLimit: { requestsPerMinute: 50, burst: 5 } }));
    await r.reconcile('acme');
    const t = api.peek<TenantObject>(T, 'acme')!;
    expect(t.metadata.finalizers).toEqual(['aegis.io/finalizer']);
    const cm = api.peek<ConfigMap>(CM, 'aegis-tenant-acme')!;
    expect(cm.metadata.ownerReferences).toEqual([
      expect.objectContaining({ name: 'acme', uid: t.metadata.uid, controller: true }),
    ]);
    const gw = api.peek<ConfigMap>(CM, 'aegis-gateway-config')!;
    const doc = JSON.parse(gw.data!['config.json']);
    expect(doc.tenants).toEqual([
      { name: 'acme', generation: 1, spec: { rateLimit: { requestsPerMinute: 50, burst: 5 } } },
    ]);
    expect(gw.data!.hash).toBe(configHash(doc));
    expect(cond('acme', 'Accepted')).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(cond('acme', 'Programmed')).toMatchObject({ status: 'False', reason: 'NoGatewayReplicas' });
    expect(status('acme')).toMatchObject({
      observedGeneration: 1,
      tenantId: 'acme',
      configHash: gw.data!.hash,
    });
  });

  it('sets Programmed once every running replica reports a config with the current generation', async () => {
    const { api, r, gatewayRuns, cond } = setup();
    api.put(T, tenant('acme'));
    await r.reconcile('acme');
    gatewayRuns('0'.repeat(64));
    await r.reconcile('acme');
    expect(cond('acme', 'Programmed')).toMatchObject({ status: 'False', reason: 'GatewaysPending' });
    gatewayRuns();
    const result = await r.reconcile('acme');
    expect(cond('acme', 'Programmed')).toMatchObject({ status: 'True', reason: 'AllGatewaysLoaded' });
    expect(cond('acme', 'Ready')).toMatchObject({ status: 'True' });
    // Looks again when the replica's lease would run out (renewed 1 s ago, 15 s lease).
    expect(result.requeueAfterMs).toBe(14_000 + 250);
  });

  it('writes nothing when reconciling an unchanged tenant again', async () => {
    const { api, r, gatewayRuns } = setup();
    api.put(T, tenant('acme', { config: { tz: 'UTC' } }));
    await r.reconcile('acme');
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
    const doc = JSON.parse(api.peek<ConfigMap>(CM, 'aegis-gateway-config')!.data!['config.json']);
    expect(doc.tenants.map((t: { name: string }) => t.name)).toEqual(['acme']);
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
    const doc = JSON.parse(api.peek<ConfigMap>(CM, 'aegis-gateway-config')!.data!['config.json']);
    expect(doc.tenants.map((t: { name: string }) => t.name)).toEqual(['acme', 'globex']);
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
        const doc = JSON.parse(api.peek<ConfigMap>(CM, 'aegis-gateway-config')!.data!['config.json']);
        order.push(
          `deactivate ${id} (gateway has ${doc.tenants.map((t: { name: string }) => t.name).join(',')})`,
        );
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
});
