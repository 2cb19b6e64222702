import { SERVICES, serviceByName, type ServiceName } from '@aegis/common';
import type { V1EnvVar } from '../k8s-types';
import {
  DEPLOYED_SERVICES,
  labelsOf,
  selectorOf,
  SERVICE_CREDENTIALS_KEY,
  SERVICE_CREDENTIALS_SECRET,
  serviceUrl,
} from '../names';
import type { AegisBaseChart } from '../objects';
import type { Binder } from '../render/binder';
import { appContainer, podSpec } from './pod';
import { addWorkload, databaseEnv, meta, redisEnv, secretsName, tcpPort } from './workload';

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
export const authUrl = (b: Binder): string => serviceUrl('auth', b.namespace, serviceByName('auth').port);

/** The URL of the knowledge graph in the cluster, for the services that read it through its API. */
const knowledgeGraphEnv = (b: Binder, name: string): V1EnvVar[] =>
  name === 'auth' || name === 'knowledge-graph'
    ? []
    : [
        {
          name: 'KNOWLEDGE_GRAPH_URL',
          value: serviceUrl('knowledge-graph', b.namespace, serviceByName('knowledge-graph').port),
        },
      ];

/** The in-cluster URLs of the services a service calls through their APIs: the variable its
 * configuration reads, the service it names, and the services that read it (ingestion posts SCADA
 * readings and the compliance monitor its alerts to the flaring monitor; the orchestration's tools and
 * runs call the monitors, approvals and memory). */
const UPSTREAMS: readonly { variable: string; target: ServiceName; clients: readonly ServiceName[] }[] = [
  {
    variable: 'FLARING_MONITOR_URL',
    target: 'flaring-monitor',
    clients: ['ingestion', 'compliance-monitor', 'orchestration'],
  },
  { variable: 'COMPLIANCE_MONITOR_URL', target: 'compliance-monitor', clients: ['orchestration'] },
  { variable: 'APPROVALS_URL', target: 'approvals', clients: ['orchestration'] },
  { variable: 'MEMORY_URL', target: 'memory', clients: ['orchestration'] },
];
const upstreamEnv = (b: Binder, name: ServiceName): V1EnvVar[] =>
  UPSTREAMS.filter((u) => u.clients.includes(name)).map((u) => ({
    name: u.variable,
    value: serviceUrl(u.target, b.namespace, serviceByName(u.target).port),
  }));

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

/** Settings only the approvals service reads: the key sealing its audit-chain HMAC key in the database. */
function approvalsEnv(b: Binder): V1EnvVar[] {
  return [
    {
      name: 'AUDIT_KEY_ENCRYPTION_KEY',
      valueFrom: {
        secretKeyRef: { name: secretsName(b), key: 'audit-key-encryption-key', optional: true },
      },
    },
  ];
}

/** SERVICE_CLIENT_SECRET for auth (which checks it) and every service (which presents it, ADR 0019):
 * from `serviceCredentials.existingSecret`, else from the Secret the Helm chart creates. */
function serviceCredentialsEnv(b: Binder): V1EnvVar {
  const existing = b.values.serviceCredentials.existingSecret;
  return {
    name: 'SERVICE_CLIENT_SECRET',
    valueFrom: {
      secretKeyRef: {
        name: b.str(
          existing || SERVICE_CREDENTIALS_SECRET,
          `default ${JSON.stringify(SERVICE_CREDENTIALS_SECRET)} .Values.serviceCredentials.existingSecret`,
        ),
        key: SERVICE_CREDENTIALS_KEY,
      },
    },
  };
}

/**
 * The Secret aegis-service-credentials, in the Helm chart only and only without
 * `serviceCredentials.existingSecret`: 48 random characters on install, the stored value on every
 * upgrade (`lookup`), so auth and the services keep agreeing. Plain manifests cannot make a secret
 * that stays stable across re-synthesis; there the installer creates it, as it creates aegis-secrets.
 */
export function addServiceCredentials(chart: AegisBaseChart): void {
  const b = chart.binder;
  if (!b.helm) return;
  const existing = b.values.serviceCredentials.existingSecret;
  b.when(!existing, 'not .Values.serviceCredentials.existingSecret', () => {
    chart.add('service-credentials', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: SERVICE_CREDENTIALS_SECRET, namespace: b.namespace, labels: labelsOf('platform') },
      type: 'Opaque',
      data: { [SERVICE_CREDENTIALS_KEY]: b.str('', 'include "aegis.serviceClientSecret" .') },
    });
  });
}

/** The implemented backend services: one Deployment, Service and PodDisruptionBudget each, same image,
 * each with its own replicas and resources. */
export function addServices(chart: AegisBaseChart): void {
  const b = chart.binder;
  for (const service of DEPLOYED_SERVICES) {
    const { adminPort } = service;
    const settings = b.values.services[service.name];
    const expr = `(index .Values.services ${JSON.stringify(service.name)})`;
    const env: V1EnvVar[] = [
      ...commonEnv(b, service.port, adminPort),
      ...databaseEnv(b),
      ...redisEnv(b),
      { name: 'AUTH_URL', value: authUrl(b) },
      serviceCredentialsEnv(b),
      ...knowledgeGraphEnv(b, service.name),
      ...upstreamEnv(b, service.name),
      ...(service.name === 'auth' ? authEnv(b) : []),
      ...(service.name === 'approvals' ? approvalsEnv(b) : []),
    ];
    addWorkload(chart, {
      component: service.name,
      file: `service-${service.name}`,
      replicas: b.scalar(settings.replicas, `${expr}.replicas`),
      pod: podSpec(b, {
        automountToken: false,
        terminationGracePeriodSeconds: 30,
        containers: [
          appContainer(b, {
            name: service.name,
            entry: service.entry,
            env,
            ports: [
              { name: 'http', containerPort: service.port },
              { name: 'admin', containerPort: adminPort },
            ],
            probePort: service.port,
            resources: b.yaml(settings.resources, `${expr}.resources`),
          }),
        ],
      }),
      servicePorts: [tcpPort('http', service.port), tcpPort('admin', adminPort)],
    });
  }
}

/**
 * A planned service (a registry entry without code yet) gets its Service and no pods: the gateway keeps
 * its routes, and an address with no endpoints refuses the connection, so the gateway answers 503
 * "Service is not running" as it does on a laptop. Its Deployment comes with its code.
 */
export function addPlannedServices(chart: AegisBaseChart): void {
  const b = chart.binder;
  for (const service of SERVICES.filter((s) => !s.implemented)) {
    chart.add(`service-${service.name}`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(b, service.name),
      spec: {
        type: 'ClusterIP',
        selector: selectorOf(service.name),
        ports: [
          { name: 'http', port: service.port, targetPort: service.port, protocol: 'TCP' },
          { name: 'admin', port: service.adminPort, targetPort: service.adminPort, protocol: 'TCP' },
        ],
      },
    });
  }
}
