import type { V1EnvVar } from '../k8s-types';
import { entryOf, GATEWAY_ADMIN_PORT, GATEWAY_CONFIGMAP, GATEWAY_PORT, labelsOf, nameOf } from '../names';
import type { AegisBaseChart } from '../objects';
import { appContainer, podSpec } from './pod';
import { authUrl, commonEnv } from './services';
import { addWorkload, meta, redisEnv, tcpPort } from './workload';

/** Values from the pod itself (downward API). */
export const fieldEnv = (name: string, fieldPath: string): V1EnvVar => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});

/**
 * The gateway: reads the operator's compiled configuration ConfigMap through the API (and nothing
 * else) and keeps a Lease per replica reporting the configuration hash it runs.
 */
export function addGateway(chart: AegisBaseChart): void {
  const b = chart.binder;
  const file = 'gateway';
  const name = nameOf('gateway');
  const labels = labelsOf('gateway');

  chart.add(file, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(b, 'gateway') });
  chart.add(file, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(b, 'gateway'),
    rules: [
      // get, and list/watch with fieldSelector metadata.name=<name>: only the compiled configuration.
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: [GATEWAY_CONFIGMAP],
        verbs: ['get', 'list', 'watch'],
      },
      // The per-tenant pieces (label aegis.io/gateway-config=tenant, docs/adr/0022): a label-selected
      // list/watch, which RBAC cannot narrow by name.
      { apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] },
      // One Lease per replica (aegis-gateway-<pod>), so names are not known in advance.
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['create', 'get', 'update', 'patch', 'delete'],
      },
    ],
  });
  chart.add(file, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: b.namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: b.namespace }],
  });

  const env: V1EnvVar[] = [
    ...commonEnv(b, GATEWAY_PORT, GATEWAY_ADMIN_PORT),
    { name: 'CONFIG_SOURCE', value: 'kubernetes' },
    fieldEnv('AEGIS_NAMESPACE', 'metadata.namespace'),
    fieldEnv('POD_NAME', 'metadata.name'),
    { name: 'GATEWAY_CONFIGMAP', value: GATEWAY_CONFIGMAP },
    { name: 'AUTH_URL', value: authUrl(b) },
    ...redisEnv(b),
    // Endpoints drop a terminating pod a moment after SIGTERM: keep serving until they have.
    { name: 'SHUTDOWN_DELAY_MS', value: '5000' },
    { name: 'DRAIN_TIMEOUT_MS', value: '25000' },
  ];
  addWorkload(chart, {
    component: 'gateway',
    file,
    replicas: b.scalar(b.values.replicas.gateway, '.Values.replicas.gateway'),
    pod: podSpec(b, {
      serviceAccountName: name,
      automountToken: true,
      terminationGracePeriodSeconds: 40,
      containers: [
        appContainer(b, {
          name: 'gateway',
          entry: entryOf('gateway'),
          env,
          ports: [
            { name: 'http', containerPort: GATEWAY_PORT },
            { name: 'admin', containerPort: GATEWAY_ADMIN_PORT },
          ],
          probePort: GATEWAY_PORT,
          resources: b.yaml(b.values.resources.gateway, '.Values.resources.gateway'),
        }),
      ],
    }),
    servicePorts: [tcpPort('http', GATEWAY_PORT), tcpPort('admin', GATEWAY_ADMIN_PORT)],
  });
}
