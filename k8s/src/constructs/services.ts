import type { V1EnvVar } from '../k8s-types';
import { adminPortOf, BACKEND_SERVICES, entryOf, serviceUrl } from '../names';
import type { AegisBaseChart } from '../objects';
import type { Binder } from '../render/binder';
import { appContainer, podSpec } from './pod';
import { addWorkload, databaseEnv, redisEnv, secretsName, tcpPort } from './workload';

/** Settings every process of the platform shares. */
export function commonEnv(b: Binder, port: number, adminPort: number): V1EnvVar[] {
  return [
    { name: 'NODE_ENV', value: 'production' },
    { name: 'HOST', value: '0.0.0.0' },
    { name: 'PORT', value: String(port) },
    { name: 'ADMIN_PORT', value: String(adminPort) },
    { name: 'LOG_LEVEL', value: b.str(b.values.logLevel, '.Values.logLevel') },
  ];
}

/** The URL of the auth service in the cluster. */
export const authUrl = (b: Binder): string => serviceUrl('auth', b.namespace, 8009);

/** Settings only the auth service reads: its bootstrap administrator and the key sealing its signing keys. */
function authEnv(b: Binder): V1EnvVar[] {
  return [
    { name: 'BOOTSTRAP_ADMIN_ENABLED', value: 'true' },
    {
      name: 'BOOTSTRAP_ADMIN_EMAIL',
      value: b.str(b.values.auth.bootstrapAdminEmail, '.Values.auth.bootstrapAdminEmail'),
    },
    {
      name: 'BOOTSTRAP_ADMIN_PASSWORD',
      valueFrom: { secretKeyRef: { name: secretsName(b), key: 'bootstrap-admin-password' } },
    },
    {
      name: 'SIGNING_KEY_ENCRYPTION_KEY',
      valueFrom: {
        secretKeyRef: { name: secretsName(b), key: 'signing-key-encryption-key', optional: true },
      },
    },
  ];
}

/** The eight backend services: one Deployment, Service and PodDisruptionBudget each, same image. */
export function addServices(chart: AegisBaseChart): void {
  const b = chart.binder;
  for (const service of BACKEND_SERVICES) {
    const adminPort = adminPortOf(service.port);
    const env: V1EnvVar[] = [
      ...commonEnv(b, service.port, adminPort),
      ...databaseEnv(b),
      ...redisEnv(b),
      { name: 'AUTH_URL', value: authUrl(b) },
      ...(service.name === 'auth' ? authEnv(b) : []),
    ];
    addWorkload(chart, {
      component: service.name,
      file: `service-${service.name}`,
      replicas: b.scalar(b.values.replicas.services, '.Values.replicas.services'),
      pod: podSpec(b, {
        automountToken: false,
        terminationGracePeriodSeconds: 30,
        containers: [
          appContainer(b, {
            name: service.name,
            entry: entryOf(service.name),
            env,
            ports: [
              { name: 'http', containerPort: service.port },
              { name: 'admin', containerPort: adminPort },
            ],
            probePort: service.port,
            resources: b.yaml(b.values.resources.services, '.Values.resources.services'),
          }),
        ],
      }),
      servicePorts: [tcpPort('http', service.port), tcpPort('admin', adminPort)],
    });
  }
}
