import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ControlPlane,
  requireBinaries,
  type KubeClient,
  probe,
  startControlPlane,
  type WatchEvent,
} from '@aegis/e2e';

const binaries = requireBinaries();
const describeControlPlane = binaries.describe;

const ns = 'smoke';
const group = 'smoke.aegis.io';
const widgets = `/apis/${group}/v1/namespaces/${ns}/widgets`;
const celMessage = 'minReplicas must not exceed maxReplicas';

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  minReplicas: { type: 'integer' },
                  maxReplicas: { type: 'integer' },
                  color: { type: 'string' },
                },
                'x-kubernetes-validations': [
                  { rule: 'self.minReplicas <= self.maxReplicas', message: celMessage },
                ],
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

function widget(
  name: string,
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name, namespace: ns, ...extra }, spec };
}

/** Polls until `check` returns a value, failing with `what` after `timeoutMs`. */
async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(250);
  }
}

describeControlPlane(
  'Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)',
  () => {
    let cp: ControlPlane;
    let k: KubeClient;

    beforeAll(async () => {
      // A control plane of its own even when AEGIS_KUBECONFIG names a cluster: the suite restarts the
      // API server and checks the pinned version.
      cp = await startControlPlane({ kubeconfig: null });
      k = cp.client();
      expect(
        (await k.request('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } })).status,
      ).toBe(201);
      expect(
        (
          await k.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
            body: widgetCrd,
          })
        ).status,
      ).toBe(201);
      await eventually('the Widget CRD to be Established and served', 60_000, async () => {
        const crd = await k.request(
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`,
        );
        const established = (crd.body?.status?.conditions ?? []).some(
          (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True',
        );
        return established && (await k.request('GET', widgets)).status === 200 ? true : undefined;
      });
    }, 180_000);

    afterAll(async () => {
      await cp?.stop();
    }, 60_000);

    it('answers ok on /readyz and reports the pinned Kubernetes version through kubectl', async () => {
      expect((await cp.kubectl(['get', '--raw', '/readyz'])).stdout.trim()).toBe('ok');
      const version = JSON.parse((await cp.kubectl(['version', '-o', 'json'])).stdout);
      expect(version.serverVersion.gitVersion).toBe(binaries.versions.kubernetes);
      expect(version.clientVersion.gitVersion).toBe(binaries.versions.kubernetes);
    });

    it('rejects an object that breaks the CRD CEL rule with the rule message', async () => {
      const invalid = await k.request('POST', widgets, {
        body: widget('cel-invalid', { minReplicas: 5, maxReplicas: 2 }),
      });
      expect(invalid.status).toBe(422);
      expect(invalid.body.message).toContain(celMessage);
      const valid = await k.request('POST', widgets, {
        body: widget('cel-valid', { minReplicas: 1, maxReplicas: 2 }),
      });
      expect(valid.status).toBe(201);
    });

    it('creates and then updates an object with server-side apply under one field manager', async () => {
      const apply = (manager: string, spec: Record<string, unknown>) =>
        k.request('PATCH', `${widgets}/ssa?fieldManager=${manager}`, {
          contentType: 'application/apply-patch+yaml',
          body: widget('ssa', spec),
        });
      const created = await apply('smoke-applier', { minReplicas: 1, maxReplicas: 3, color: 'blue' });
      expect(created.status).toBe(201);
      const updated = await apply('smoke-applier', { minReplicas: 1, maxReplicas: 3, color: 'green' });
      expect(updated.status).toBe(200);
      expect(updated.body.spec.color).toBe('green');
      expect(updated.body.metadata.managedFields).toEqual(
        expect.arrayContaining([expect.objectContaining({ manager: 'smoke-applier', operation: 'Apply' })]),
      );
      const conflict = await apply('someone-else', { minReplicas: 1, maxReplicas: 3, color: 'red' });
      expect(conflict.status).toBe(409);
      expect((await k.request('GET', `${widgets}/ssa`)).body.spec.color).toBe('green');
    });

    it('writes status only through the status subresource and spec only through the main resource', async () => {
      expect(
        (await k.request('POST', widgets, { body: widget('status', { minReplicas: 1, maxReplicas: 1 }) }))
          .status,
      ).toBe(201);
      const merge = { contentType: 'application/merge-patch+json' };
      const viaMain = await k.request('PATCH', `${widgets}/status`, {
        ...merge,
        body: { status: { phase: 'Ignored' } },
      });
      expect(viaMain.status).toBe(200);
      expect(viaMain.body.status?.phase).toBeUndefined();
      const viaStatus = await k.request('PATCH', `${widgets}/status/status`, {
        ...merge,
        body: { spec: { maxReplicas: 9 }, status: { phase: 'Ready' } },
      });
      expect(viaStatus.status).toBe(200);
      expect(viaStatus.body.status.phase).toBe('Ready');
      expect(viaStatus.body.spec.maxReplicas).toBe(1);
      expect(viaStatus.body.metadata.generation).toBe(1);
    });

    it('holds deletion while a finalizer is present and deletes once it is removed', async () => {
      const body = widget('finalized', { minReplicas: 1, maxReplicas: 1 }, { finalizers: [`${group}/hold`] });
      expect((await k.request('POST', widgets, { body })).status).toBe(201);
      expect((await k.request('DELETE', `${widgets}/finalized`)).status).toBe(200);
      const held = await k.request('GET', `${widgets}/finalized`);
      expect(held.status).toBe(200);
      expect(held.body.metadata.deletionTimestamp).toEqual(expect.any(String));
      const release = await k.request('PATCH', `${widgets}/finalized`, {
        contentType: 'application/merge-patch+json',
        body: { metadata: { finalizers: null } },
      });
      expect(release.status).toBe(200);
      expect((await k.request('GET', `${widgets}/finalized`)).status).toBe(404);
    });

    it('garbage-collects an owned ConfigMap after its owner is deleted', async () => {
      const owner = await k.request('POST', widgets, {
        body: widget('owner', { minReplicas: 1, maxReplicas: 1 }),
      });
      expect(owner.status).toBe(201);
      const ownerReferences = [
        {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          name: 'owner',
          uid: owner.body.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
      const cm = { metadata: { name: 'owned', namespace: ns, ownerReferences }, data: { a: '1' } };
      expect((await k.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: cm })).status).toBe(201);
      expect(
        (await k.request('DELETE', `${widgets}/owner`, { body: { propagationPolicy: 'Background' } })).status,
      ).toBe(200);
      // The garbage collector picks up a new CRD's resource within its 30 s discovery resync.
      await eventually('the owned ConfigMap to be garbage-collected', 120_000, async () =>
        (await k.request('GET', `/api/v1/namespaces/${ns}/configmaps/owned`)).status === 404
          ? true
          : undefined,
      );
    }, 150_000);

    it("schedules a Deployment's pods onto the kwok node, where they run, and the Deployment becomes Available", async () => {
      const labels = { app: 'smoke-web' };
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/aegis/web:1' }] },
          },
        },
      };
      expect(
        (await k.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, { body: deployment })).status,
      ).toBe(201);
      const available = await eventually(
        'Deployment web to be Available with 2 ready replicas',
        120_000,
        async () => {
          const d = (await k.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`)).body;
          const condition = (d.status?.conditions ?? []).find(
            (c: { type: string }) => c.type === 'Available',
          );
          return condition?.status === 'True' && d.status.availableReplicas === 2 ? d : undefined;
        },
      );
      expect(available.status.readyReplicas).toBe(2);
      const pods = (await k.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dsmoke-web`))
        .body.items;
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        expect(pod.spec.nodeName).toBe(cp.nodeName);
        expect(pod.status.phase).toBe('Running');
      }
    }, 150_000);

    it('delivers ADDED, MODIFIED and DELETED events to a watch', async () => {
      const list = await k.request('GET', `/api/v1/namespaces/${ns}/configmaps`);
      const events: WatchEvent[] = [];
      const watch = await k.watch(
        `/api/v1/namespaces/${ns}/configmaps?watch=1&fieldSelector=metadata.name%3Dwatched&resourceVersion=${list.body.metadata.resourceVersion}`,
        (event) => events.push(event),
      );
      try {
        const path = `/api/v1/namespaces/${ns}/configmaps`;
        expect(
          (await k.request('POST', path, { body: { metadata: { name: 'watched' }, data: { v: '1' } } }))
            .status,
        ).toBe(201);
        const patched = await k.request('PATCH', `${path}/watched`, {
          contentType: 'application/merge-patch+json',
          body: { data: { v: '2' } },
        });
        expect(patched.status).toBe(200);
        expect((await k.request('DELETE', `${path}/watched`)).status).toBe(200);
        await eventually('ADDED, MODIFIED and DELETED on the watch', 30_000, async () =>
          events.length >= 3 ? true : undefined,
        );
        expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
        expect(events[1]?.object.data).toEqual({ v: '2' });
      } finally {
        watch.close();
      }
    });

    it('restarts only the API server on the same address, keeping the stored objects', async () => {
      const before = cp.processes().map((p) => p.pid);
      await cp.stopApiServer();
      await expect(probe(`${cp.server}/readyz`, { token: cp.token })).rejects.toThrow();
      await cp.startApiServer();
      expect((await cp.kubectl(['get', '--raw', '/readyz'])).stdout.trim()).toBe('ok');
      expect((await k.request('GET', `${widgets}/ssa`)).body.spec.color).toBe('green');
      const after = cp.processes().map((p) => p.pid);
      expect(after.filter((pid) => !before.includes(pid))).toHaveLength(1);
    }, 120_000);
  },
);
