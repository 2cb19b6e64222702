import type { V1EnvVar } from '../k8s-types';
import {
  entryOf,
  GATEWAY_CONFIGMAP,
  labelsOf,
  nameOf,
  OPERATOR_ADMIN_PORT,
  OPERATOR_WEBHOOK_PORT,
  OPERATOR_WEBHOOK_SERVICE_PORT,
  ROUTES_CONFIGMAP,
  ROUTES_MOUNT,
  WEBHOOK_CERT_MOUNT,
  WEBHOOK_TLS_SECRET,
} from '../names';
import type { AegisBaseChart, Manifest } from '../objects';
import { fieldEnv } from './gateway';
import { appContainer, podSpec } from './pod';
import { authUrl } from './services';
import { addWorkload, secretsName, tcpPort } from './workload';

const NAMESPACED_RBAC = new Set(['ServiceAccount', 'Role', 'RoleBinding']);

/**
 * The operator's generated RBAC placed in the install's namespace: namespaced objects and the
 * ServiceAccount subjects of bindings move to it; labels are added. Returns the objects and the
 * ServiceAccount the operator runs as.
 */
export function placeRbac(
  docs: readonly Manifest[],
  namespace: string,
): { objects: Manifest[]; serviceAccount: string } {
  const labels = labelsOf('operator');
  let serviceAccount: string | undefined;
  const objects = docs.map((doc): Manifest => {
    const copy = structuredClone(doc);
    copy.metadata = { ...copy.metadata, labels: { ...copy.metadata.labels, ...labels } };
    if (NAMESPACED_RBAC.has(copy.kind)) copy.metadata.namespace = namespace;
    else delete copy.metadata.namespace;
    if (copy.kind === 'ServiceAccount') serviceAccount ??= copy.metadata.name;
    if (Array.isArray(copy.subjects)) {
      copy.subjects = (copy.subjects as { kind: string; name: string; namespace?: string }[]).map((s) => {
        if (s.kind !== 'ServiceAccount') return s;
        serviceAccount ??= s.name;
        return { ...s, namespace };
      });
    }
    return copy;
  });
  const name = serviceAccount ?? nameOf('operator');
  if (!objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === name)) {
    objects.unshift({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } });
  }
  return { objects, serviceAccount: name };
}

/** The operator: leader-elected replicas, its RBAC, and the route table it compiles. */
export function addOperator(chart: AegisBaseChart, rbac: readonly Manifest[]): void {
  const b = chart.binder;
  const file = 'operator';
  const placed = placeRbac(rbac, b.namespace);
  for (const object of placed.objects) chart.add(file, object);

  const env: V1EnvVar[] = [
    // The operator serves only its admin endpoints (metrics, /health, /ready): ADMIN_HOST/ADMIN_PORT.
    { name: 'NODE_ENV', value: 'production' },
    { name: 'ADMIN_HOST', value: '0.0.0.0' },
    { name: 'ADMIN_PORT', value: String(OPERATOR_ADMIN_PORT) },
    { name: 'LOG_LEVEL', value: b.str(b.values.logLevel, '.Values.logLevel') },
    fieldEnv('AEGIS_NAMESPACE', 'metadata.namespace'),
    fieldEnv('POD_NAME', 'metadata.name'),
    { name: 'LEADER_ELECTION', value: 'true' },
    { name: 'GATEWAY_CONFIGMAP', value: GATEWAY_CONFIGMAP },
    { name: 'ROUTES_FILE', value: `${ROUTES_MOUNT}/routes.yaml` },
    { name: 'AUTH_URL', value: authUrl(b) },
    {
      name: 'AUTH_ADMIN_EMAIL',
      value: b.str(b.values.auth.bootstrapAdminEmail, '.Values.auth.bootstrapAdminEmail'),
    },
    {
      name: 'AUTH_ADMIN_PASSWORD',
      valueFrom: { secretKeyRef: { name: secretsName(b), key: 'bootstrap-admin-password' } },
    },
    // The admission webhook serves only when its certificate Secret exists (the chart makes it; it is
    // mounted as optional so plain manifests run without one).
    { name: 'WEBHOOK_PORT', value: String(OPERATOR_WEBHOOK_PORT) },
    { name: 'WEBHOOK_HOST', value: '0.0.0.0' },
    { name: 'WEBHOOK_CERT_DIR', value: WEBHOOK_CERT_MOUNT },
  ];
  addWorkload(chart, {
    component: 'operator',
    file,
    replicas: b.scalar(b.values.replicas.operator, '.Values.replicas.operator'),
    pod: podSpec(b, {
      serviceAccountName: placed.serviceAccount,
      automountToken: true,
      terminationGracePeriodSeconds: 30,
      containers: [
        appContainer(b, {
          name: 'operator',
          entry: entryOf('operator'),
          env,
          ports: [
            { name: 'admin', containerPort: OPERATOR_ADMIN_PORT },
            { name: 'webhook', containerPort: OPERATOR_WEBHOOK_PORT },
          ],
          probePort: OPERATOR_ADMIN_PORT,
          resources: b.yaml(b.values.resources.operator, '.Values.resources.operator'),
          extraMounts: [
            { name: 'routes', mountPath: ROUTES_MOUNT, readOnly: true },
            { name: 'webhook-tls', mountPath: WEBHOOK_CERT_MOUNT, readOnly: true },
          ],
        }),
      ],
      volumes: [
        { name: 'routes', configMap: { name: ROUTES_CONFIGMAP } },
        { name: 'webhook-tls', secret: { secretName: WEBHOOK_TLS_SECRET, optional: true } },
      ],
    }),
    servicePorts: [
      tcpPort('admin', OPERATOR_ADMIN_PORT),
      { name: 'webhook', port: OPERATOR_WEBHOOK_SERVICE_PORT, targetPort: 'webhook', protocol: 'TCP' },
    ],
  });
}
