import { configHash } from '@aegis/common';
import { startGatewayTestbed, waitFor, type GatewayTestbed, type RunningGateway } from '@aegis/testing';
import { requireBinaries, startControlPlane, API_SERVER_ONLY, type ControlPlane } from '@aegis/e2e';

/** The gateway with CONFIG_SOURCE=kubernetes against a real API server, playing the operator's part
 * by writing the compiled ConfigMap directly (the operator's own suites drive it through tenants). */
requireBinaries(API_SERVER_ONLY).describe('gateway Kubernetes configuration source', () => {
  let cp: ControlPlane;
  let bed: GatewayTestbed;
  let gw: RunningGateway;
  const ns = 'aegis';

  const documentWith = (acme: Record<string, unknown>) => ({
    routes: [{ prefix: '/api/v1/events', service: 'flaring-monitor' }],
    services: { 'flaring-monitor': { url: bed.upstream.url } },
    tenants: [{ name: 'acme', generation: 1, spec: acme }],
  });
  const writeConfig = async (doc: unknown, raw?: string) => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'aegis-gateway-config',
        namespace: ns,
        annotations: { 'aegis.io/config-hash': configHash(doc) },
      },
      data: { 'config.json': raw ?? JSON.stringify(doc), hash: configHash(doc) },
    };
    await cp.kubectl(['apply', '--server-side', '--field-manager=test', '-f', '-'], JSON.stringify(manifest));
  };
  const adminConfig = async () =>
    (await (await fetch(`${gw.adminUrl}/config`)).json()) as { hash: string; last_error: string | null };

  /** Writes the ConfigMap and waits until the gateway reports running it. */
  const applyConfig = async (what: string, doc: unknown, timeoutMs = 10_000, intervalMs = 20) => {
    await writeConfig(doc);
    await waitFor(what, async () => (await adminConfig()).hash === configHash(doc), timeoutMs, intervalMs);
  };

  beforeAll(async () => {
    cp = await startControlPlane({ components: 'api-server' });
    bed = await startGatewayTestbed();
    await cp.kubectl(['create', 'namespace', ns]);
    await writeConfig(documentWith({ rateLimit: { requestsPerMinute: 600, burst: 50 } }));
    // The file settings are unused with the Kubernetes source; the harness needs some.
    gw = await bed.startGateway({
      services: {},
      routes: [],
      tenants: [],
      env: {
        CONFIG_SOURCE: 'kubernetes',
        KUBECONFIG: cp.kubeconfigPath,
        AEGIS_NAMESPACE: ns,
        POD_NAME: 'gw-0',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await bed?.stop();
    await cp?.stop();
  });

  const burstOf = async (userId: string, n = 12) => {
    const token = await bed.token({ tenant_id: 'acme', user_id: userId, sub: userId });
    const statuses = await Promise.all(
      Array.from({ length: n }, async () => {
        const res = await fetch(`${gw.url}/api/v1/events/echo`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    return statuses;
  };

  it('runs the ConfigMap it was given and reports its hash on the admin port and in its Lease', async () => {
    const doc = documentWith({ rateLimit: { requestsPerMinute: 600, burst: 50 } });
    expect((await adminConfig()).hash).toBe(configHash(doc));
    const lease = await waitFor('the replica lease', async () => {
      const res = await cp
        .client()
        .request('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/aegis-gateway-gw-0`);
      return res.status === 200
        ? (res.body as { metadata: { annotations: Record<string, string>; labels: Record<string, string> } })
        : undefined;
    });
    expect(lease.metadata.annotations['aegis.io/config-hash']).toBe(configHash(doc));
    expect(lease.metadata.labels['app.kubernetes.io/component']).toBe('gateway');
    expect((await burstOf('u-initial')).every((s) => s === 200)).toBe(true);
  });

  it('enforces a changed quota soon after the ConfigMap changes, and 403 for a suspended tenant', async () => {
    const doc = documentWith({ rateLimit: { requestsPerMinute: 60, burst: 3 } });
    const started = Date.now();
    await applyConfig('the new configuration', doc);
    // Reported, not asserted: the target is 2 s from apply to enforcement (see the issue note).
    console.log(`quota change applied by the gateway ${Date.now() - started} ms after kubectl apply`);
    const statuses = await burstOf('u-changed');
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);

    const suspended = documentWith({ suspended: true, rateLimit: { requestsPerMinute: 60, burst: 3 } });
    await applyConfig('the suspension', suspended);
    const token = await bed.token({ tenant_id: 'acme' });
    const res = await fetch(`${gw.url}/api/v1/events/echo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'tenant_suspended' });
  });

  it('keeps the last good configuration when the ConfigMap holds an invalid one', async () => {
    const good = (await adminConfig()).hash;
    const bad = documentWith({ rateLimit: { requestsPerMinute: 5, burst: 50 } });
    await writeConfig(bad);
    await waitFor(
      'the rejection',
      async () => /burst/.test((await adminConfig()).last_error ?? ''),
      10_000,
      20,
    );
    expect((await adminConfig()).hash).toBe(good);
    expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
  });

  it('keeps serving while the API server is down and follows changes again once it is back', async () => {
    const working = documentWith({ rateLimit: { requestsPerMinute: 600, burst: 50 } });
    await applyConfig('the working configuration', working);
    await cp.stopApiServer();
    try {
      expect((await burstOf('u-outage', 5)).every((s) => s === 200)).toBe(true);
      expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    } finally {
      await cp.startApiServer();
    }
    const after = documentWith({ rateLimit: { requestsPerMinute: 600, burst: 40 } });
    await applyConfig('the watch to recover', after, 30_000, 100);
  });

  it('deletes its Lease on shutdown', async () => {
    await gw.stop();
    const res = await cp
      .client()
      .request('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/aegis-gateway-gw-0`);
    expect(res.status).toBe(404);
  });
});
