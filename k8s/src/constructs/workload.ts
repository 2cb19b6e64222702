import type { V1EnvVar, V1PodSpec, V1ServicePort } from '../k8s-types';
import {
  type Component,
  EXTERNAL_URLS_SECRET,
  labelsOf,
  nameOf,
  POSTGRES_PORT,
  REDIS_PORT,
  selectorOf,
} from '../names';
import type { AegisBaseChart } from '../objects';
import type { Binder } from '../render/binder';

/** The namespace-scoped metadata of a component's object. */
export function meta(b: Binder, component: Component, name = nameOf(component)) {
  return { name, namespace: b.namespace, labels: labelsOf(component) };
}

/** Name of the Secret the installer creates (bootstrap admin password, keys, PostgreSQL password). */
export const secretsName = (b: Binder): string => b.str(b.values.secrets.name, '.Values.secrets.name');

/** DATABASE_URL: the bundled PostgreSQL (password from the Secret) or the external URL. */
export function databaseEnv(b: Binder): V1EnvVar[] {
  return b.items(
    b.values.postgresql.enabled,
    '.Values.postgresql.enabled',
    [
      {
        name: 'POSTGRES_PASSWORD',
        valueFrom: { secretKeyRef: { name: secretsName(b), key: 'postgres-password' } },
      },
      {
        name: 'DATABASE_URL',
        value: `postgres://aegis:$(POSTGRES_PASSWORD)@${nameOf('postgresql')}.${b.namespace}.svc:${POSTGRES_PORT}/aegis`,
      },
    ],
    [
      {
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: EXTERNAL_URLS_SECRET, key: 'database-url' } },
      },
    ],
  );
}

/** REDIS_URL: the bundled Redis or the external URL. */
export function redisEnv(b: Binder): V1EnvVar[] {
  return b.items(
    b.values.redis.enabled,
    '.Values.redis.enabled',
    [{ name: 'REDIS_URL', value: `redis://${nameOf('redis')}.${b.namespace}.svc:${REDIS_PORT}` }],
    [{ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: EXTERNAL_URLS_SECRET, key: 'redis-url' } } }],
  );
}

export interface WorkloadOptions {
  component: Component;
  /** Template file of the Helm chart. */
  file: string;
  replicas: number;
  pod: V1PodSpec;
  servicePorts: V1ServicePort[];
  /** A headless Service for a StatefulSet. */
  kind?: 'Deployment' | 'StatefulSet';
  statefulSet?: Record<string, unknown>;
  podAnnotations?: Record<string, string>;
}

/**
 * A component's Deployment (or StatefulSet), its Service and a PodDisruptionBudget allowing one pod
 * down at a time (safe with any replica count).
 */
export function addWorkload(chart: AegisBaseChart, o: WorkloadOptions): void {
  const b = chart.binder;
  const kind = o.kind ?? 'Deployment';
  const template = {
    metadata: {
      labels: labelsOf(o.component),
      ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}),
    },
    spec: o.pod,
  };
  const spec =
    kind === 'Deployment'
      ? {
          replicas: o.replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: selectorOf(o.component) },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template,
        }
      : {
          replicas: o.replicas,
          serviceName: nameOf(o.component),
          selector: { matchLabels: selectorOf(o.component) },
          template,
          ...o.statefulSet,
        };
  chart.add(o.file, { apiVersion: 'apps/v1', kind, metadata: meta(b, o.component), spec });
  chart.add(o.file, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(b, o.component),
    spec: { type: 'ClusterIP', selector: selectorOf(o.component), ports: o.servicePorts },
  });
  chart.add(o.file, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(b, o.component),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(o.component) } },
  });
}

/** A Service port named like its container port. */
export const tcpPort = (name: string, port: number): V1ServicePort => ({
  name,
  port,
  targetPort: name,
  protocol: 'TCP',
});
