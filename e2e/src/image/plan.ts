import { imageContainers, type Manifest } from '@aegis/k8s';

/**
 * How `npm run image:smoke` runs each pod of the plain manifests as one container of the built image
 * on this machine: the same command, user, read-only root filesystem, writable mounts, dropped
 * capabilities and no-new-privileges as the pod, with host networking on loopback ports. Pure: the
 * manifests in, `docker run` arguments out (tested in e2e/test/image/plan.test.ts).
 */

/** The ports a pod listens on in the cluster, moved by `offset` on this machine (so a run can avoid
 * ports in use); in-cluster Service URLs become loopback URLs on the moved ports. */
export interface PlanOptions {
  offset: number;
  /** Values of the Secrets the pods read (`<secret>/<key>`), as the installer creates them. */
  secrets: Record<string, string>;
  /** Settings that point at the datastores (Redis, PostgreSQL), dropped: the components use their
   * embedded stores, which write only to the mounted data folder. */
  dropEnv?: readonly string[];
  /** Added to every container (e.g. KUBECONFIG where the pod would use its service account). */
  extraEnv?: (workload: string) => Record<string, string>;
  /** Added to every container's mounts: host path → container path (read-only). */
  extraMounts?: (workload: string) => Record<string, string>;
}

export interface ContainerMount {
  target: string;
  readOnly: boolean;
  /** emptyDir: a fresh empty folder owned by the pod's user; configMap: these files. */
  source:
    { kind: 'empty' } | { kind: 'files'; files: Record<string, string> } | { kind: 'host'; path: string };
}

export interface ContainerPlan {
  /** The workload's name, e.g. aegis-gateway. */
  name: string;
  entry: string;
  user: string;
  env: Record<string, string>;
  mounts: ContainerMount[];
  readOnlyRootFilesystem: boolean;
  capDrop: string[];
  noNewPrivileges: boolean;
  /** Its readiness probe, as a loopback URL. */
  readyUrl: string | undefined;
  /** Ports it listens on (moved by the offset). */
  ports: number[];
}

const SERVICE_URL = /\b(https?|redis|postgres):\/\/(?:[^@/]*@)?aegis-[a-z0-9-]+\.[a-z0-9-]+\.svc(?::(\d+))?/;
const LOOPBACK = '127.0.0.1';
const PORT_SETTINGS = new Set(['PORT', 'ADMIN_PORT']);
const HOST_SETTINGS = new Set(['HOST', 'ADMIN_HOST']);

/** `http://aegis-auth.aegis.svc:8009/x` → `http://127.0.0.1:<8009+offset>/x`. */
export function toLoopback(value: string, offset: number): string {
  return value.replace(new RegExp(SERVICE_URL.source, 'g'), (_m, scheme: string, port?: string) =>
    port ? `${scheme}://${LOOPBACK}:${Number(port) + offset}` : `${scheme}://${LOOPBACK}`,
  );
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

function envOf(
  vars: readonly EnvVar[],
  workload: string,
  namespace: string,
  o: PlanOptions,
): Record<string, string> {
  const out: Record<string, string> = {};
  const drop = new Set(o.dropEnv ?? []);
  for (const v of vars) {
    if (drop.has(v.name)) continue;
    if (v.value !== undefined) {
      if (PORT_SETTINGS.has(v.name)) out[v.name] = String(Number(v.value) + o.offset);
      else if (HOST_SETTINGS.has(v.name)) out[v.name] = LOOPBACK;
      else out[v.name] = toLoopback(v.value, o.offset);
    } else if (v.valueFrom?.secretKeyRef) {
      const { name, key, optional } = v.valueFrom.secretKeyRef;
      const value = o.secrets[`${name}/${key}`];
      if (value !== undefined) out[v.name] = value;
      else if (!optional) throw new Error(`${workload}: ${v.name} needs the secret ${name}/${key}`);
    } else if (v.valueFrom?.fieldRef) {
      const path = v.valueFrom.fieldRef.fieldPath;
      if (path === 'metadata.namespace') out[v.name] = namespace;
      else if (path === 'metadata.name') out[v.name] = `${workload}-0`;
      else throw new Error(`${workload}: ${v.name} reads ${path}, which the smoke run does not provide`);
    } else {
      throw new Error(`${workload}: ${v.name} has a source the smoke run does not provide`);
    }
  }
  return { ...out, ...o.extraEnv?.(workload) };
}

/** The plan of every pod of `docs` that runs the AEGIS image. */
export function containerPlans(docs: readonly Manifest[], o: PlanOptions): ContainerPlan[] {
  const configMaps = new Map(
    docs
      .filter((d) => d.kind === 'ConfigMap')
      .map((d) => [d.metadata.name, (d.data ?? {}) as Record<string, string>] as const),
  );
  const namespaceOf = new Map(
    docs
      .filter((d) => d.kind !== 'Namespace')
      .map((d) => [d.metadata.name, d.metadata.namespace ?? 'default']),
  );
  return imageContainers(docs).map(({ workload, entry, pod, container }) => {
    const podSec = pod.securityContext ?? {};
    const sec = container.securityContext ?? {};
    const uid = sec.runAsUser ?? podSec.runAsUser;
    const gid = sec.runAsGroup ?? podSec.runAsGroup ?? uid;
    if (uid === undefined) throw new Error(`${workload}: no runAsUser; the smoke run runs nothing as root`);
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    const mounts: ContainerMount[] = (container.volumeMounts ?? []).map((m) => {
      const v = volumes.get(m.name);
      if (v?.emptyDir)
        return { target: m.mountPath, readOnly: Boolean(m.readOnly), source: { kind: 'empty' } };
      if (v?.configMap) {
        const cmName = String(v.configMap.name);
        const data = configMaps.get(cmName);
        if (!data) throw new Error(`${workload}: ConfigMap ${cmName} is not in the manifests`);
        const files = Object.fromEntries(
          Object.entries(data).map(([k, text]) => [k, toLoopback(text, o.offset)]),
        );
        return { target: m.mountPath, readOnly: true, source: { kind: 'files', files } };
      }
      // An optional Secret the manifests do not create (the plain manifests' webhook certificate): the
      // kubelet mounts an empty directory, and so does the smoke run.
      if (
        v?.secret?.optional &&
        !docs.some((d) => d.kind === 'Secret' && d.metadata.name === v.secret?.secretName)
      )
        return { target: m.mountPath, readOnly: true, source: { kind: 'files', files: {} } };
      throw new Error(
        `${workload}: volume ${m.name} is neither an emptyDir, a ConfigMap nor an absent optional Secret`,
      );
    });
    for (const [path, target] of Object.entries(o.extraMounts?.(workload) ?? {}))
      mounts.push({ target, readOnly: true, source: { kind: 'host', path } });
    const probe = container.readinessProbe?.httpGet;
    const probePort = probe ? Number(probe.port) + o.offset : undefined;
    return {
      name: workload,
      entry,
      user: `${uid}:${gid}`,
      env: envOf((container.env ?? []) as EnvVar[], workload, namespaceOf.get(workload) ?? 'default', o),
      mounts,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem === true,
      capDrop: sec.capabilities?.drop ?? [],
      noNewPrivileges: sec.allowPrivilegeEscalation === false,
      readyUrl: probe ? `http://${LOOPBACK}:${probePort}${probe.path ?? '/'}` : undefined,
      ports: (container.ports ?? []).map((p) => p.containerPort + o.offset),
    };
  });
}

export interface RunArgsOptions {
  image: string;
  /** The host folder made for each mount (by its target), except `host` mounts. */
  hostDirs: Record<string, string>;
  /** A file with the plan's env, one KEY=value a line (kept off the command line: it holds secrets). */
  envFile: string;
  labels?: Record<string, string>;
}

/** `docker run` arguments of a plan. */
export function dockerRunArgs(plan: ContainerPlan, o: RunArgsOptions): string[] {
  const sourceOf = (m: ContainerMount) => (m.source.kind === 'host' ? m.source.path : o.hostDirs[m.target]);
  return [
    'run',
    '--detach',
    '--name',
    plan.name,
    '--network',
    'host',
    '--user',
    plan.user,
    ...(plan.readOnlyRootFilesystem ? ['--read-only'] : []),
    ...plan.capDrop.flatMap((c) => ['--cap-drop', c]),
    ...(plan.noNewPrivileges ? ['--security-opt', 'no-new-privileges'] : []),
    ...Object.entries(o.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...plan.mounts.flatMap((m) => [
      '--mount',
      `type=bind,source=${sourceOf(m)},target=${m.target}${m.readOnly ? ',readonly' : ''}`,
    ]),
    '--env-file',
    o.envFile,
    o.image,
    plan.entry,
  ];
}

/** The env file of a plan (docker's --env-file: no quoting, one variable a line). */
export function envFileOf(plan: ContainerPlan): string {
  return Object.entries(plan.env)
    .map(([k, v]) => {
      if (/[\r\n]/.test(v)) throw new Error(`${plan.name}: ${k} spans lines, which an env file cannot hold`);
      return `${k}=${v}\n`;
    })
    .join('');
}
