// A command-line tool (`npm run image:smoke`, through scripts/image-smoke.sh, which starts the private
// Docker engine and stops it by PID): it talks to people on stdout and stderr.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chartTemplateObjects, imageContainers, synthManifests, synthYaml, type Manifest } from '@aegis/k8s';
import { tempDir, waitFor } from '@aegis/testing';
import { startControlPlane, type ControlPlane } from '../controlplane';
import { renderKubeconfig } from '../controlplane/kubeconfig';
import { dockerClient, type Docker } from './docker';
import { containerPlans, dockerRunArgs, envFileOf, type ContainerPlan } from './plan';
import { runPlatformPass } from './platform-checks';

const IMAGE = process.env.AEGIS_IMAGE || 'aegis:local';
const LABEL = 'io.aegis.smoke';
const KUBECONFIG_IN_CONTAINER = '/var/run/aegis/kubeconfig';
/** The settings that point the pods at the cluster's Redis and PostgreSQL: the smoke run uses each
 * component's embedded store instead, in the mounted data folder. */
const DATASTORE_ENV = ['DATABASE_URL', 'POSTGRES_PASSWORD', 'REDIS_URL'];
const TENANT = 'smoke';
const TENANT_ADMIN = 'ops@smoke.example';

const log = (line: string) => process.stderr.write(`[smoke] ${line}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Free on 127.0.0.1 right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** AEGIS_SMOKE_PORT_OFFSET: `auto` (the default): the first of 20000, 21000 and 22000 whose every port
 * is free (below the kernel's ephemeral range, and clear of an `npm start` on the same machine, which
 * holds the platform's own ports); or a number, 0 meaning the platform's own ports. */
async function portOffset(ports: number[]): Promise<number> {
  const setting = process.env.AEGIS_SMOKE_PORT_OFFSET || 'auto';
  const candidates = setting === 'auto' ? [20_000, 21_000, 22_000] : [Number(setting)];
  if (candidates.some((c) => !Number.isInteger(c) || c < 0 || c > 50_000))
    throw new Error(`AEGIS_SMOKE_PORT_OFFSET must be an integer from 0 to 50000 or "auto", not ${setting}`);
  for (const offset of candidates) {
    const busy: number[] = [];
    for (const p of ports) if (!(await portFree(p + offset))) busy.push(p + offset);
    if (busy.length === 0) return offset;
    if (setting !== 'auto')
      throw new Error(
        `ports in use: ${busy.join(', ')} (set AEGIS_SMOKE_PORT_OFFSET to another offset, or auto)`,
      );
  }
  throw new Error(`no free set of ports at offsets ${candidates.join(', ')}`);
}

/** Every command of the manifests and of the chart exists in the image. */
async function checkEntryPoints(docker: Docker, manifests: Manifest[]): Promise<number> {
  const entries = [
    ...new Set(
      [...imageContainers(manifests), ...imageContainers(chartTemplateObjects())].map((c) => c.entry),
    ),
  ];
  const script =
    'const fs=require("fs");const m=process.argv.slice(1).filter(e=>!fs.existsSync(e));' +
    'if(m.length){console.log(m.join(" "));process.exit(1)}';
  try {
    await docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'node',
      IMAGE,
      '-e',
      script,
      ...entries,
    ]);
  } catch (err) {
    throw new Error(`entry points missing from ${IMAGE}: ${(err as Error).message}`);
  }
  return entries.length;
}

/** A kubeconfig of a workload's service account (a TokenRequest), so it runs with the manifests' RBAC. */
async function serviceAccountKubeconfig(cp: ControlPlane, namespace: string, account: string, file: string) {
  const res = await cp
    .client()
    .request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    });
  if (res.status !== 201)
    throw new Error(`TokenRequest for ${account}: ${res.status} ${JSON.stringify(res.body)}`);
  const caPem = fs.readFileSync(cp.caCertPath!, 'utf8');
  fs.writeFileSync(
    file,
    renderKubeconfig({ server: cp.server, caPem, token: res.body.status.token, name: account }),
    {
      mode: 0o600,
    },
  );
}

function smokeTenant(): string {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${TENANT}-admin`, namespace: 'aegis' },
  };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { ...secret, type: 'Opaque', stringData: { password: ADMIN_PASSWORD } },
      {
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisTenant',
        metadata: { name: TENANT, namespace: 'aegis' },
        spec: {
          tenantId: TENANT,
          displayName: 'Image smoke run',
          rateLimit: { requestsPerMinute: 6000, burst: 1000 },
          admin: { email: TENANT_ADMIN, passwordSecretRef: { name: `${TENANT}-admin`, key: 'password' } },
        },
      },
    ],
  });
}
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');

async function main(): Promise<void> {
  const began = Date.now();
  const docker = dockerClient();
  const manifests = synthManifests();
  const namespace = manifests.find((d) => d.kind === 'Namespace')?.metadata.name ?? 'aegis';
  const sizeMb = Math.round(
    Number((await docker(['image', 'inspect', '-f', '{{.Size}}', IMAGE])).trim()) / 2 ** 20,
  );
  const checkBegan = Date.now();
  const entries = await checkEntryPoints(docker, manifests);
  log(
    `${IMAGE} (${sizeMb} MB) holds the ${entries} entry points of the manifests and the chart ` +
      `(checked in ${seconds(checkBegan)})`,
  );

  const dir = tempDir('image-smoke');
  fs.chmodSync(dir, 0o755);
  const runId = path.basename(dir);
  const secrets: Record<string, string> = {
    'aegis-secrets/bootstrap-admin-password': randomBytes(18).toString('base64url'),
    'aegis-secrets/signing-key-encryption-key': randomBytes(32).toString('base64'),
    'aegis-service-credentials/service-client-secret': randomBytes(32).toString('base64url'),
  };
  // Workloads that talk to the API server get their service account's kubeconfig, mounted read-only.
  const accounts = new Map(
    imageContainers(manifests)
      .filter((c) => c.pod.serviceAccountName && c.pod.automountServiceAccountToken !== false)
      .map((c) => [c.workload, c.pod.serviceAccountName!] as const),
  );
  const kubeconfigOf = (w: string) => path.join(dir, `${w}.kubeconfig`);
  const probePlans = containerPlans(manifests, { offset: 0, secrets, dropEnv: DATASTORE_ENV });
  const offset = await portOffset(probePlans.flatMap((p) => p.ports));
  const plans = containerPlans(manifests, {
    offset,
    secrets,
    dropEnv: DATASTORE_ENV,
    extraEnv: (w): Record<string, string> => (accounts.has(w) ? { KUBECONFIG: KUBECONFIG_IN_CONTAINER } : {}),
    extraMounts: (w): Record<string, string> =>
      accounts.has(w) ? { [kubeconfigOf(w)]: KUBECONFIG_IN_CONTAINER } : {},
  });
  log(`ports: the platform's own${offset ? ` + ${offset}` : ''}; run folder ${dir}`);

  let cp: ControlPlane | undefined;
  const started: string[] = [];
  try {
    const cpBegan = Date.now();
    cp = await startControlPlane({ components: 'api-server', kubeconfig: null });
    await cp.kubectl(['apply', '--server-side', '-f', '-'], synthYaml());
    await cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/aegistenants.aegis.io']);
    for (const [w, account] of accounts)
      await serviceAccountKubeconfig(cp, namespace, account, kubeconfigOf(w));
    log(`control plane ${cp.versions.kubernetes} up, manifests applied, in ${seconds(cpBegan)}`);

    const runBegan = Date.now();
    for (const plan of plans) started.push(await runContainer(docker, plan, dir, runId));
    await Promise.all(plans.map((plan) => waitReady(docker, plan)));
    log(`${plans.length} containers ready in ${seconds(runBegan)}: ${plans.map((p) => p.name).join(', ')}`);

    await cp.kubectl(['apply', '-f', '-'], smokeTenant());
    const gateway = plans.find((p) => p.entry.startsWith('gateway/'));
    if (!gateway) throw new Error('the manifests run no gateway');
    const port = Number(gateway.env.PORT);
    const passBegan = Date.now();
    const checks = await runPlatformPass({
      base: `http://127.0.0.1:${port}`,
      tenant: TENANT,
      email: TENANT_ADMIN,
      password: ADMIN_PASSWORD,
    });
    log(`end-to-end pass through the gateway in ${seconds(passBegan)}`);
    await checkStillRunning(docker, plans);
    console.log(
      `image:smoke passed: ${IMAGE} ${sizeMb} MB; ${plans.length} containers (non-root, read-only root, ` +
        `no capabilities) ready; ${checks.join(', ')}; ${seconds(began)}`,
    );
  } finally {
    const stopBegan = Date.now();
    // In parallel: on vfs, removing a container deletes its whole copy of the image.
    await Promise.all(started.map((name) => docker(['rm', '--force', name]).catch(() => undefined)));
    const removed = seconds(stopBegan);
    await cp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    log(`containers removed in ${removed}, control plane stopped, in ${seconds(stopBegan)}`);
  }
}

/** Makes the plan's mount folders and env file, and starts it. */
async function runContainer(
  docker: Docker,
  plan: ContainerPlan,
  dir: string,
  runId: string,
): Promise<string> {
  const own = path.join(dir, plan.name);
  fs.mkdirSync(own, { mode: 0o755 });
  const [uid, gid] = plan.user.split(':').map(Number);
  const hostDirs: Record<string, string> = {};
  for (const [i, m] of plan.mounts.entries()) {
    if (m.source.kind === 'host') {
      // A file for this container only: its service account's token.
      fs.chownSync(m.source.path, uid, gid);
      fs.chmodSync(m.source.path, 0o400);
      continue;
    }
    const hostDir = path.join(own, `mount-${i}`);
    fs.mkdirSync(hostDir);
    if (m.source.kind === 'empty') {
      // An emptyDir writable by the pod's user (fsGroup), and by no one else.
      fs.chownSync(hostDir, uid, gid);
      fs.chmodSync(hostDir, 0o770);
    } else {
      for (const [file, text] of Object.entries(m.source.files))
        fs.writeFileSync(path.join(hostDir, file), text);
      fs.chmodSync(hostDir, 0o755);
    }
    hostDirs[m.target] = hostDir;
  }
  const envFile = path.join(own, 'env');
  fs.writeFileSync(envFile, envFileOf(plan), { mode: 0o600 });
  // A container of an earlier, interrupted run with the same name goes first.
  await docker(['rm', '--force', plan.name]).catch(() => undefined);
  await docker(dockerRunArgs(plan, { image: IMAGE, hostDirs, envFile, labels: { [LABEL]: runId } }));
  return plan.name;
}

async function logsOf(docker: Docker, name: string): Promise<string> {
  return docker(['logs', '--tail', '30', name], { stderr: true }).catch((err: Error) => err.message);
}

async function waitReady(docker: Docker, plan: ContainerPlan): Promise<void> {
  if (!plan.readyUrl) return;
  try {
    await waitFor(
      `${plan.name} to answer ${plan.readyUrl}`,
      async () => {
        const state = (await docker(['inspect', '-f', '{{.State.Status}}', plan.name])).trim();
        if (state !== 'running') throw new Error(`the container is ${state}`);
        const res = await fetch(plan.readyUrl!, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return res.ok;
      },
      120_000,
      500,
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\n--- docker logs ${plan.name}\n${await logsOf(docker, plan.name)}`,
    );
  }
}

/** No container stopped or logged a write to the read-only root filesystem during the run. */
async function checkStillRunning(docker: Docker, plans: ContainerPlan[]): Promise<void> {
  for (const plan of plans) {
    const state = (await docker(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', plan.name])).trim();
    if (state !== 'running 0')
      throw new Error(`${plan.name} is ${state}:\n${await logsOf(docker, plan.name)}`);
    const logs = await docker(['logs', plan.name], { stderr: true });
    if (/EROFS|read-only file system/i.test(logs))
      throw new Error(
        `${plan.name} tried to write outside its writable mounts:\n${await logsOf(docker, plan.name)}`,
      );
  }
}

main().catch((err: unknown) => {
  console.error(`image:smoke FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
