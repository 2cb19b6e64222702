import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBinary } from '@aegis/testing';
import { attachControlPlane, runKubectl } from './attach';
import { createKubeClient, type KubeClient, probe } from './api';
import {
  API_SERVER_ONLY,
  type ControlPlaneBinaries,
  controlPlaneBinaries,
  FULL_CONTROL_PLANE,
} from './binaries';
import {
  apiServerArgs,
  controllerManagerArgs,
  etcdArgs,
  FAKE_NODE_NAME,
  fakeNode,
  kwokArgs,
  type Layout,
  schedulerArgs,
} from './flags';
import { renderKubeconfig } from './kubeconfig';
import type { PinnedVersions } from './paths';
import { createPki } from './pki';
import { freePorts } from './ports';
import { isAlive, logTail, type ManagedProcess, startProcess, stopPid } from './process';
import { pollUntil } from './wait';

export const CONTROL_PLANE_COMPONENTS = ['full', 'api-server'] as const;
export type ControlPlaneComponents = (typeof CONTROL_PLANE_COMPONENTS)[number];

export interface ControlPlaneOptions {
  /** 'full' (default): etcd, API server, controller-manager, scheduler, kwok and one fake node.
   *  'api-server': etcd and the API server only, like controller-runtime's envtest. */
  components?: ControlPlaneComponents;
  /** Folder for certificates, etcd data, kubeconfigs and logs; default: a new temp folder. */
  dir?: string;
  /** Keep `dir` on stop() (default: removed when the harness created it). */
  keepDir?: boolean;
  /** Processes outlive this Node process (for `npm run cluster:up`); default false. */
  detached?: boolean;
  /** How long start-up may take before it fails; default 90 s (warm start is ~10 s). */
  startTimeoutMs?: number;
  /** Binaries to use; default: controlPlaneBinaries(). */
  binaries?: ControlPlaneBinaries;
  /** Use the cluster of this kubeconfig instead of starting one; default $AEGIS_KUBECONFIG.
   *  null always starts a control plane of its own. */
  kubeconfig?: string | null;
}

export interface ControlPlane {
  /** True for an existing cluster (AEGIS_KUBECONFIG): no processes, no API-server restart. */
  attached: boolean;
  /** https://127.0.0.1:PORT */
  server: string;
  /** Admin kubeconfig (bearer token, CA embedded). */
  kubeconfigPath: string;
  /** Admin bearer token (group system:masters); absent only when attached with a client certificate. */
  token?: string;
  /** The CA, admin client certificate and key (O=system:masters) files; absent when attached. */
  caCertPath?: string;
  adminCertPath?: string;
  adminKeyPath?: string;
  dir: string;
  /** Folder of kube-apiserver (the built folder unless overridden). */
  binDir: string;
  binaries: ControlPlaneBinaries['paths'];
  versions: PinnedVersions;
  components: ControlPlaneComponents;
  /** Name of the kwok fake node ('full' only). */
  nodeName?: string;
  /** Live processes, in start order. */
  processes(): ManagedProcess[];
  /** A REST client authenticated as the admin. */
  client(): KubeClient;
  /** Runs kubectl against this control plane; rejects on a non-zero exit. */
  kubectl(args: string[], input?: string): Promise<{ stdout: string; stderr: string }>;
  /** Stops only the API server (etcd and the rest keep running), e.g. to test watch recovery. */
  stopApiServer(): Promise<void>;
  /** Starts the API server again on the same port and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** Stops every process by PID (and removes the temp folder); safe to call twice. */
  stop(): Promise<void>;
}

function writeKubeconfig(file: string, server: string, caPem: string, token: string): string {
  fs.writeFileSync(file, renderKubeconfig({ server, caPem, token }), { mode: 0o600 });
  return file;
}

/** Starts a control plane on free loopback ports and resolves once it is ready to use. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const existing = options.kubeconfig === undefined ? process.env.AEGIS_KUBECONFIG : options.kubeconfig;
  if (existing) {
    const bins = options.binaries ?? controlPlaneBinaries(['kubectl']);
    const kubectl = bins.paths.kubectl ?? findBinary('kubectl');
    if (!kubectl) throw new Error(`kubectl is needed to read ${existing}: ${bins.reason ?? 'not found'}`);
    return attachControlPlane(existing, kubectl, bins.versions);
  }
  const components = options.components ?? 'full';
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const bins =
    options.binaries ?? controlPlaneBinaries(components === 'full' ? FULL_CONTROL_PLANE : API_SERVER_ONLY);
  if (!bins.available) throw new Error(`control plane binaries unavailable: ${bins.reason}`);
  const bin = (name: keyof ControlPlaneBinaries['paths']): string => {
    const found = bins.paths[name];
    if (!found) throw new Error(`${name} not found`);
    return found;
  };
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-cp-'));
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });

  const started: ManagedProcess[] = [];
  let watchdogPid: number | undefined;
  const pidFile = path.join(dir, 'pids');
  const recordPids = (): void => fs.writeFileSync(pidFile, started.map((p) => `${p.pid}\n`).join(''));
  const launch = (name: string, binary: string, args: string[]): ManagedProcess => {
    const proc = startProcess({
      name,
      binary,
      args,
      logFile: path.join(dir, 'logs', `${name}.log`),
      detached: options.detached,
    });
    started.push(proc);
    recordPids();
    return proc;
  };
  const diedMessage = (proc: ManagedProcess) => (): string | undefined =>
    proc.exit || !isAlive(proc.pid)
      ? `${proc.name} exited (${JSON.stringify(proc.exit ?? {})}):\n${logTail(proc.logFile)}`
      : undefined;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (watchdogPid !== undefined) await stopPid(watchdogPid, '/bin/sh', 2_000);
    for (const proc of [...started].reverse()) await stopPid(proc.pid, proc.binary);
    started.length = 0;
    if (ownDir && !options.keepDir) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pki = await createPki(path.join(dir, 'pki'));
    const caPem = fs.readFileSync(pki.caCert, 'utf8');
    const [etcdClient, etcdPeer, apiServer, controllerManager, scheduler] = await freePorts(5);
    const server = `https://127.0.0.1:${apiServer}`;
    const layout: Layout = {
      dir,
      ports: { etcdClient, etcdPeer, apiServer, controllerManager, scheduler },
      caCert: pki.caCert,
      servingCert: pki.servingCert,
      servingKey: pki.servingKey,
      serviceAccountKey: pki.serviceAccountKey,
      serviceAccountPub: pki.serviceAccountPub,
      tokenFile: pki.tokenFile,
      kubeconfigs: {
        controllerManager: writeKubeconfig(
          path.join(dir, 'controller-manager.kubeconfig'),
          server,
          caPem,
          pki.tokens.controllerManager,
        ),
        scheduler: writeKubeconfig(
          path.join(dir, 'scheduler.kubeconfig'),
          server,
          caPem,
          pki.tokens.scheduler,
        ),
        kwok: writeKubeconfig(path.join(dir, 'kwok.kubeconfig'), server, caPem, pki.tokens.kwok),
      },
      kwokConfig: path.join(dir, 'kwok-stages.yaml'),
    };
    const kubeconfigPath = writeKubeconfig(path.join(dir, 'kubeconfig'), server, caPem, pki.tokens.admin);

    if (!options.detached) {
      // Kills the processes if this Node process dies without running stop() (SIGKILL, SIGTERM).
      // Removes the temp folder too, unless it is the caller's or is to be kept.
      const script =
        'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
        '[ -f "$2" ] && while read -r p; do kill -9 "$p" 2>/dev/null; done < "$2"; ' +
        '[ -n "$3" ] && sleep 1 && rm -rf "$3"';
      const removable = ownDir && !options.keepDir ? dir : '';
      const watchdog = spawn(
        '/bin/sh',
        ['-c', script, 'aegis-cp-watchdog', String(process.pid), pidFile, removable],
        {
          detached: true,
          stdio: 'ignore',
        },
      );
      watchdog.unref();
      watchdogPid = watchdog.pid;
    }

    const etcd = launch('etcd', bin('etcd'), etcdArgs(layout, path.join(dir, 'etcd-data')));
    await pollUntil(
      async () =>
        (await probe(`http://127.0.0.1:${etcdClient}/health`))?.includes('"true"') ? true : undefined,
      {
        what: 'etcd /health',
        timeoutMs,
        abort: diedMessage(etcd),
      },
    );

    let apiServerProc = launch('kube-apiserver', bin('kube-apiserver'), apiServerArgs(layout));
    const waitApiServer = async (proc: ManagedProcess): Promise<void> => {
      await pollUntil(
        async () =>
          (await probe(`${server}/readyz`, { ca: caPem, token: pki.tokens.admin })) === 'ok'
            ? true
            : undefined,
        {
          what: 'kube-apiserver /readyz',
          timeoutMs,
          abort: diedMessage(proc),
        },
      );
    };
    await waitApiServer(apiServerProc);
    const client = createKubeClient({ server, token: pki.tokens.admin, caPem });

    if (components === 'full') {
      fs.copyFileSync(kwokStagesFile(bin('kwok'), bins.builtDir), layout.kwokConfig);
      const kcm = launch(
        'kube-controller-manager',
        bin('kube-controller-manager'),
        controllerManagerArgs(layout),
      );
      const sched = launch('kube-scheduler', bin('kube-scheduler'), schedulerArgs(layout));
      const kwok = launch('kwok', bin('kwok'), kwokArgs(layout));
      const created = await client.request('POST', '/api/v1/nodes', { body: fakeNode() });
      if (created.status !== 201)
        throw new Error(
          `creating node ${FAKE_NODE_NAME}: HTTP ${created.status} ${JSON.stringify(created.body)}`,
        );
      await Promise.all([
        pollUntil(
          async () =>
            (await probe(`https://127.0.0.1:${controllerManager}/healthz`)) === 'ok' ? true : undefined,
          {
            what: 'kube-controller-manager /healthz',
            timeoutMs,
            abort: diedMessage(kcm),
          },
        ),
        pollUntil(
          async () => ((await probe(`https://127.0.0.1:${scheduler}/healthz`)) === 'ok' ? true : undefined),
          {
            what: 'kube-scheduler /healthz',
            timeoutMs,
            abort: diedMessage(sched),
          },
        ),
        pollUntil(
          async () => {
            const node = await client.request('GET', `/api/v1/nodes/${FAKE_NODE_NAME}`);
            const ready = (node.body?.status?.conditions ?? []).find(
              (c: { type: string }) => c.type === 'Ready',
            );
            return ready?.status === 'True' ? true : undefined;
          },
          { what: `node ${FAKE_NODE_NAME} Ready (kwok)`, timeoutMs, abort: diedMessage(kwok) },
        ),
        // Pods need the namespace's default ServiceAccount, which the controller-manager creates.
        pollUntil(
          async () =>
            (await client.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200
              ? true
              : undefined,
          {
            what: 'ServiceAccount default/default',
            timeoutMs,
            abort: diedMessage(kcm),
          },
        ),
      ]);
    }

    const plane: ControlPlane = {
      attached: false,
      server,
      kubeconfigPath,
      token: pki.tokens.admin,
      caCertPath: pki.caCert,
      adminCertPath: pki.adminCert,
      adminKeyPath: pki.adminKey,
      dir,
      binDir: path.dirname(bin('kube-apiserver')),
      binaries: bins.paths,
      versions: bins.versions,
      components,
      ...(components === 'full' ? { nodeName: FAKE_NODE_NAME } : {}),
      processes: () => [...started],
      client: () => client,
      kubectl: (args, input) => runKubectl(bin('kubectl'), kubeconfigPath, args, input),
      stopApiServer: async () => {
        await stopPid(apiServerProc.pid, apiServerProc.binary);
        started.splice(started.indexOf(apiServerProc), 1);
        recordPids();
      },
      startApiServer: async () => {
        if (started.includes(apiServerProc) && isAlive(apiServerProc.pid)) return;
        apiServerProc = launch('kube-apiserver', bin('kube-apiserver'), apiServerArgs(layout));
        await waitApiServer(apiServerProc);
      },
      stop,
    };
    return plane;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** kwok's Stage definitions (from the pinned kwok module), written by build.sh next to the kwok binary. */
function kwokStagesFile(kwokBinary: string, builtDir: string): string {
  for (const candidate of [
    path.join(path.dirname(kwokBinary), 'kwok-stages.yaml'),
    path.join(builtDir, 'kwok-stages.yaml'),
  ]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    `kwok-stages.yaml not found next to ${kwokBinary} or in ${builtDir}; run e2e/controlplane/build.sh`,
  );
}
