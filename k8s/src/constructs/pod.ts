import type {
  V1Container,
  V1EnvVar,
  V1PodSpec,
  V1Probe,
  V1ResourceRequirements,
  V1Volume,
  V1VolumeMount,
} from '../k8s-types';
import { APP_DIR, APP_UID } from '../names';
import type { Binder } from '../render/binder';

/** The image of every component: [registry/]repository:tag. */
export function imageOf(b: Binder): string {
  const { registry, repository, tag } = b.values.image;
  return b.str(
    registry ? `${registry}/${repository}:${tag}` : `${repository}:${tag}`,
    'include "aegis.image" .',
  );
}

/** Pod-level security: non-root, RuntimeDefault seccomp, files owned by the group. */
export function podSecurity(uid: number): NonNullable<V1PodSpec['securityContext']> {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security: read-only root filesystem, no privilege escalation, no capabilities. */
export function containerSecurity(): NonNullable<V1Container['securityContext']> {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** /health (liveness) and /ready (readiness) over HTTP on `port`. */
export function httpProbes(port: number): { livenessProbe: V1Probe; readinessProbe: V1Probe } {
  return {
    livenessProbe: {
      httpGet: { path: '/health', port },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 6,
    },
    readinessProbe: {
      httpGet: { path: '/ready', port },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 3,
    },
  };
}

/** Writable scratch space on a read-only root filesystem: /tmp and the app's data folder. */
export function scratchVolumes(): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  return {
    volumes: [
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
    ],
    mounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: `${APP_DIR}/.data` },
    ],
  };
}

export interface AppContainerOptions {
  name: string;
  entry: string;
  env: V1EnvVar[];
  ports: { name: string; containerPort: number }[];
  probePort: number;
  resources: V1ResourceRequirements;
  extraMounts?: V1VolumeMount[];
}

/** A container of the platform's image running one component (`node <entry>`). */
export function appContainer(b: Binder, o: AppContainerOptions): V1Container {
  return {
    name: o.name,
    image: imageOf(b),
    imagePullPolicy: b.str(b.values.image.pullPolicy, '.Values.image.pullPolicy'),
    args: [o.entry],
    workingDir: APP_DIR,
    env: o.env,
    ports: o.ports.map((p) => ({ ...p, protocol: 'TCP' })),
    ...httpProbes(o.probePort),
    resources: o.resources,
    securityContext: containerSecurity(),
    volumeMounts: [...scratchVolumes().mounts, ...(o.extraMounts ?? [])],
  };
}

export interface PodSpecOptions {
  containers: V1Container[];
  volumes?: V1Volume[];
  serviceAccountName?: string;
  automountToken: boolean;
  uid?: number;
  terminationGracePeriodSeconds?: number;
  scratch?: boolean;
}

/** A hardened pod spec with the values' scheduling and pull secrets. */
export function podSpec(b: Binder, o: PodSpecOptions): V1PodSpec {
  const { nodeSelector, tolerations } = b.values.scheduling;
  const pullSecrets = b.values.imagePullSecrets;
  return {
    ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
    automountServiceAccountToken: o.automountToken,
    enableServiceLinks: false,
    securityContext: podSecurity(o.uid ?? APP_UID),
    ...(o.terminationGracePeriodSeconds !== undefined
      ? { terminationGracePeriodSeconds: o.terminationGracePeriodSeconds }
      : {}),
    containers: o.containers,
    volumes: [...(o.scratch === false ? [] : scratchVolumes().volumes), ...(o.volumes ?? [])],
    ...b.fields(Object.keys(nodeSelector).length > 0, '.Values.scheduling.nodeSelector', {
      nodeSelector: b.yaml(nodeSelector, '.Values.scheduling.nodeSelector'),
    }),
    ...b.fields(tolerations.length > 0, '.Values.scheduling.tolerations', {
      tolerations: b.yaml(tolerations, '.Values.scheduling.tolerations'),
    }),
    ...b.fields(pullSecrets.length > 0, '.Values.imagePullSecrets', {
      imagePullSecrets: b.yaml(pullSecrets, '.Values.imagePullSecrets'),
    }),
  };
}
