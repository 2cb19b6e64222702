import type { ConfigMapSnapshot, GatewayKubeApi, LeaseSpec, WatchEvent } from './kube-api';

const FIELD_MANAGER = 'aegis-gateway';

interface RawConfigMap {
  metadata?: { resourceVersion?: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const snapshot = (cm: RawConfigMap): ConfigMapSnapshot => ({
  resourceVersion: cm.metadata?.resourceVersion ?? '',
  data: cm.data ?? {},
  annotations: cm.metadata?.annotations ?? {},
});

/** The GatewayKubeApi over @kubernetes/client-node 1.x. That package is ESM-only, so it is loaded
 * with a dynamic import (Node 20.19+ can do that from CommonJS); nothing else imports it, which keeps
 * it out of jest. Credentials: KUBECONFIG, ~/.kube/config or the in-cluster service account. */
export async function createKubeApi(): Promise<GatewayKubeApi> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const watcher = new k8s.Watch(kc);

  return {
    async getConfigMap(namespace, name) {
      const list = await core.listNamespacedConfigMap({ namespace, fieldSelector: `metadata.name=${name}` });
      const item = list.items[0] as RawConfigMap | undefined;
      return {
        ...(item ? { configMap: snapshot(item) } : {}),
        resourceVersion: list.metadata?.resourceVersion ?? '',
      };
    },

    async watchConfigMap(namespace, name, resourceVersion, onEvent, done) {
      let finished = false;
      const finish = (err?: Error) => {
        if (finished) return;
        finished = true;
        done(err);
      };
      const controller = await watcher.watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        {
          fieldSelector: `metadata.name=${name}`,
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: 240,
        },
        (phase: string, obj: RawConfigMap & { code?: number }) => {
          let event: WatchEvent | undefined;
          if (phase === 'ADDED' || phase === 'MODIFIED') event = { type: phase, configMap: snapshot(obj) };
          else if (phase === 'DELETED')
            event = { type: 'DELETED', resourceVersion: obj.metadata?.resourceVersion ?? '' };
          else if (phase === 'BOOKMARK')
            event = { type: 'BOOKMARK', resourceVersion: obj.metadata?.resourceVersion ?? '' };
          else if (phase === 'ERROR') event = obj.code === 410 ? { type: 'EXPIRED' } : undefined;
          if (event) onEvent(event);
          if (phase === 'ERROR') finish(new Error(`watch error ${obj.code ?? ''}`));
        },
        (err: unknown) =>
          finish(err ? (err instanceof Error ? err : new Error(JSON.stringify(err))) : undefined),
      );
      return {
        stop() {
          finished = true;
          controller.abort();
        },
      };
    },

    async applyLease(namespace: string, lease: LeaseSpec) {
      await objects.patch(
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: lease.name, namespace, labels: lease.labels, annotations: lease.annotations },
          spec: {
            holderIdentity: lease.holderIdentity,
            leaseDurationSeconds: lease.leaseDurationSeconds,
            renewTime: microTime(lease.renewTime),
          },
        } as never,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
    },

    async deleteLease(namespace: string, name: string) {
      await objects.delete({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
      });
    },
  };
}
