import type { V1Container, V1Probe } from '../k8s-types';
import { POSTGRES_PORT, REDIS_PORT } from '../names';
import type { AegisBaseChart } from '../objects';
import { containerSecurity, podSpec } from './pod';
import { addWorkload, secretsName, tcpPort } from './workload';

/** UID of the redis and postgres users in the official Debian-based images. */
const DATASTORE_UID = 999;

const execProbes = (command: string[]): { livenessProbe: V1Probe; readinessProbe: V1Probe } => ({
  livenessProbe: {
    exec: { command },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  },
  readinessProbe: { exec: { command }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
});

/** Redis for the gateway's shared rate-limit counters (self-contained install; no persistence needed). */
export function addRedis(chart: AegisBaseChart): void {
  const b = chart.binder;
  b.when(b.values.redis.enabled, '.Values.redis.enabled', () => {
    const container: V1Container = {
      name: 'redis',
      image: b.str(b.values.redis.image, '.Values.redis.image'),
      args: ['--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
      ...execProbes(['redis-cli', 'ping']),
      resources: b.yaml(b.values.resources.redis, '.Values.resources.redis'),
      securityContext: containerSecurity(),
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'data', mountPath: '/data' },
      ],
    };
    addWorkload(chart, {
      component: 'redis',
      file: 'redis',
      replicas: 1,
      pod: podSpec(b, { automountToken: false, uid: DATASTORE_UID, containers: [container] }),
      servicePorts: [tcpPort('redis', REDIS_PORT)],
    });
  });
}

/** PostgreSQL for the services' stores (self-contained install): one database, `aegis`. */
export function addPostgresql(chart: AegisBaseChart): void {
  const b = chart.binder;
  const pg = b.values.postgresql;
  b.when(pg.enabled, '.Values.postgresql.enabled', () => {
    const persistent = pg.persistence.enabled;
    const container: V1Container = {
      name: 'postgresql',
      image: b.str(pg.image, '.Values.postgresql.image'),
      env: [
        { name: 'POSTGRES_USER', value: 'aegis' },
        { name: 'POSTGRES_DB', value: 'aegis' },
        {
          name: 'POSTGRES_PASSWORD',
          valueFrom: { secretKeyRef: { name: secretsName(b), key: 'postgres-password' } },
        },
        { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      ],
      ports: [{ name: 'postgresql', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
      ...execProbes(['pg_isready', '-h', '127.0.0.1', '-U', 'aegis', '-d', 'aegis']),
      resources: b.yaml(b.values.resources.postgresql, '.Values.resources.postgresql'),
      securityContext: containerSecurity(),
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'run', mountPath: '/var/run/postgresql' },
        { name: 'pgdata', mountPath: '/var/lib/postgresql/data' },
      ],
    };
    addWorkload(chart, {
      component: 'postgresql',
      file: 'postgresql',
      kind: 'StatefulSet',
      replicas: 1,
      pod: podSpec(b, {
        automountToken: false,
        uid: DATASTORE_UID,
        scratch: false,
        terminationGracePeriodSeconds: 60,
        containers: [container],
        volumes: [
          { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
          { name: 'run', emptyDir: { sizeLimit: '16Mi' } },
          ...b.items(!persistent, 'not .Values.postgresql.persistence.enabled', [
            { name: 'pgdata', emptyDir: {} },
          ]),
        ],
      }),
      servicePorts: [tcpPort('postgresql', POSTGRES_PORT)],
      statefulSet: b.fields(persistent, '.Values.postgresql.persistence.enabled', {
        volumeClaimTemplates: [
          {
            metadata: { name: 'pgdata' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: {
                requests: { storage: b.str(pg.persistence.size, '.Values.postgresql.persistence.size') },
              },
              ...b.fields(pg.persistence.storageClass !== '', '.Values.postgresql.persistence.storageClass', {
                storageClassName: b.str(
                  pg.persistence.storageClass,
                  '.Values.postgresql.persistence.storageClass',
                ),
              }),
            },
          },
        ],
      }),
    });
  });
}
