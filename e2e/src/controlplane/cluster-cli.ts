// A command-line tool: it talks to people on stdout and stderr.
import fs from 'node:fs';
import { controlPlaneBinaries } from './binaries';
import { startControlPlane } from './controlplane';
import { isAlive, runsBinary, stopPid } from './process';
import { clusterDir, readClusterState, stateFile, writeClusterState } from './state';

/** `npm run cluster:up`: starts a detached control plane (or reports the running one). */
async function up(): Promise<number> {
  const dir = clusterDir();
  const existing = readClusterState(dir);
  if (existing) {
    const alive = existing.processes.filter((p) => isAlive(p.pid) && runsBinary(p.pid, p.binary));
    if (alive.length === existing.processes.length) {
      console.error(`A cluster is already running (${existing.server}); stop it with npm run cluster:down.`);
      console.log(existing.kubeconfigPath);
      return 0;
    }
    console.error('Found a partly stopped cluster; stopping its remaining processes first.');
    await down();
  }
  const bins = controlPlaneBinaries();
  if (!bins.available) {
    console.error(`Cannot start: ${bins.reason}`);
    return 1;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const began = Date.now();
  const plane = await startControlPlane({ dir, keepDir: true, detached: true, binaries: bins });
  writeClusterState(dir, {
    dir,
    server: plane.server,
    kubeconfigPath: plane.kubeconfigPath,
    startedAt: new Date().toISOString(),
    processes: plane.processes().map(({ name, pid, binary }) => ({ name, pid, binary })),
  });
  console.error(
    `Started Kubernetes ${bins.versions.kubernetes} at ${plane.server} in ${((Date.now() - began) / 1000).toFixed(1)} s.`,
  );
  console.error(
    `Processes: ${plane
      .processes()
      .map((p) => `${p.name}=${p.pid}`)
      .join(' ')}; logs in ${dir}/logs.`,
  );
  console.error(`Use: export KUBECONFIG=${plane.kubeconfigPath}   (kubectl: ${plane.binaries.kubectl})`);
  console.error('Stop: npm run cluster:down');
  console.log(plane.kubeconfigPath);
  return 0;
}

/** `npm run cluster:down`: stops every recorded process by PID and removes the cluster folder. */
async function down(): Promise<number> {
  const dir = clusterDir();
  const state = readClusterState(dir);
  if (!state) {
    console.error(`No cluster recorded in ${stateFile(dir)}; nothing to stop.`);
    return 0;
  }
  let stopped = 0;
  for (const proc of [...state.processes].reverse()) {
    if (isAlive(proc.pid) && runsBinary(proc.pid, proc.binary)) {
      await stopPid(proc.pid, proc.binary);
      stopped += 1;
    }
  }
  const left = state.processes.filter((p) => isAlive(p.pid) && runsBinary(p.pid, p.binary));
  if (left.length > 0) {
    console.error(`Still running: ${left.map((p) => `${p.name}=${p.pid}`).join(' ')}`);
    return 1;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(`Stopped ${stopped} process(es); removed ${dir}.`);
  return 0;
}

async function status(): Promise<number> {
  const state = readClusterState(clusterDir());
  if (!state) {
    console.log('no cluster');
    return 1;
  }
  for (const p of state.processes)
    console.log(`${p.name}\t${p.pid}\t${isAlive(p.pid) && runsBinary(p.pid, p.binary) ? 'running' : 'gone'}`);
  console.log(`kubeconfig\t${state.kubeconfigPath}`);
  return 0;
}

const commands = { up, down, status } as const;
const name = process.argv[2] as keyof typeof commands | undefined;
const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!command) {
  console.error('usage: cluster-cli.ts up|down|status');
  process.exitCode = 2;
} else {
  command().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
