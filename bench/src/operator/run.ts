import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, tempDir } from '@aegis/testing';
import { type KubeClient, startControlPlane, startGatewayReplicas } from '@aegis/e2e';
import {
  eventually,
  installOperatorConfig,
  type OperatorProcess,
  serviceAccountKubeconfig,
  startOperator,
  tenantsPath,
} from '../../../e2e/test/operator/support';
import { percentile } from '../stats';

/**
 * Operator scale benchmark (docs/adr/0022-operator-at-fleet-scale.md). For each fleet size:
 * a fresh real control plane (etcd + kube-apiserver from ~/.cache/aegis/k8s-bin), the built operator
 * (operator/dist/main.js, its production defaults, its own ServiceAccount's RBAC) and 3 gateway
 * replicas in one process running the gateway's real configuration source, holder and replica Lease
 * (e2e/src/fleet/replicas-host.ts; the request path is not run: it reads the holder's configuration
 * synchronously, so a policy is enforced from the moment the holder swaps it in). Measures:
 *   1. time from the first tenant created until every tenant is Programmed at its generation;
 *   2. idle operator CPU over BENCH_OPERATOR_IDLE_SECONDS (60) while the replicas renew every 5 s;
 *   3. writes per single quota change (status, ConfigMap, Event), over BENCH_OPERATOR_CHANGES (20);
 *   4. quota change → enforced on every replica, and → Programmed, p50/p99 over those changes.
 * Env: BENCH_OPERATOR_TENANTS ("1000,5000"; e.g. "200" for a quick run), BENCH_OPERATOR_REPLICAS (3),
 * BENCH_OPERATOR_CHANGES (20), BENCH_OPERATOR_IDLE_SECONDS (60), BENCH_OPERATOR_OUT
 * (bench/results/operator.json). Prints the figures and writes the results file.
 */

const SIZES = (process.env.BENCH_OPERATOR_TENANTS ?? '1000,5000').split(',').map(Number);
const REPLICAS = Number(process.env.BENCH_OPERATOR_REPLICAS ?? 3);
const CHANGES = Number(process.env.BENCH_OPERATOR_CHANGES ?? 20);
const IDLE_SECONDS = Number(process.env.BENCH_OPERATOR_IDLE_SECONDS ?? 60);
const OUT = process.env.BENCH_OPERATOR_OUT ?? path.join(repoRoot, 'bench', 'results', 'operator.json');

const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50_ms: percentile(s, 50), p99_ms: percentile(s, 99), max_ms: s[s.length - 1] };
};
const name = (i: number) => `b-${String(i).padStart(5, '0')}`;
const spec = (rpm: number) => ({
  displayName: 'Benchmark tenant',
  rateLimit: { requestsPerMinute: rpm, burst: 10 },
  config: { region: 'us-central', timezone: 'America/Chicago' },
});

interface TenantItem {
  metadata: { name: string; generation: number };
  status?: { conditions?: { type: string; status: string; observedGeneration?: number }[] };
}
const isProgrammed = (t: TenantItem) =>
  t.status?.conditions?.some(
    (c) => c.type === 'Programmed' && c.status === 'True' && c.observedGeneration === t.metadata.generation,
  ) === true;

async function createTenants(k: KubeClient, n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const body = {
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisTenant',
        metadata: { name: name(i), namespace: 'aegis' },
        spec: spec(100),
      };
      for (let attempt = 0; ; attempt++) {
        const res = await k.request('POST', tenantsPath, { body });
        if (res.status === 201 || res.status === 409) break;
        if (attempt > 5) throw new Error(`POST ${name(i)}: ${res.status} ${JSON.stringify(res.body)}`);
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function writesOf(op: OperatorProcess) {
  const all = await op.metric('aegis_operator_kube_writes_total');
  const leases = await op.metric('aegis_operator_kube_writes_total', { resource: 'leases' });
  return {
    status: await op.metric('aegis_operator_kube_writes_total', { resource: 'aegistenants/status' }),
    configMaps: await op.metric('aegis_operator_kube_writes_total', { resource: 'configmaps' }),
    events: await op.metric('aegis_operator_kube_writes_total', { resource: 'events' }),
    nonLease: all - leases,
  };
}

async function runSize(tenants: number) {
  console.log(`\n== ${tenants} tenants, ${REPLICAS} gateway replicas ==`);
  const dir = tempDir('bench-operator');
  const cp = await startControlPlane({
    kubeconfig: null,
    components: 'api-server',
    dir: path.join(dir, 'cp'),
  });
  const k = cp.client();
  let operator: OperatorProcess | undefined;
  let gateways: Awaited<ReturnType<typeof startGatewayReplicas>> | undefined;
  try {
    await installOperatorConfig(cp);
    const kubeconfig = await serviceAccountKubeconfig(cp, dir);
    // Production settings (leader election, 4 workers, 5-minute resync), logs at warn.
    operator = await startOperator('operator-bench', kubeconfig, {
      LOG_LEVEL: 'warn',
      LEASE_DURATION_SECONDS: '15',
      RENEW_DEADLINE_SECONDS: '10',
      RETRY_PERIOD_SECONDS: '2',
      BACKOFF_BASE_MS: '500',
      BACKOFF_MAX_MS: '30000',
    });
    const op = operator;
    gateways = await startGatewayReplicas({ kubeconfig: cp.kubeconfigPath, replicas: REPLICAS });
    const gw = gateways;

    // 1. Onboarding: every tenant created, until all are Programmed.
    const t0 = performance.now();
    await createTenants(k, tenants);
    const createdSec = (performance.now() - t0) / 1000;
    console.log(`created ${tenants} tenants in ${createdSec.toFixed(1)} s`);
    await eventually(`all ${tenants} tenants Programmed`, 30 * 60_000, async () => {
      const res = await k.request('GET', tenantsPath, { timeoutMs: 60_000 });
      const items = (res.body?.items ?? []) as TenantItem[];
      const done = items.filter(isProgrammed).length;
      if (done < tenants) {
        await sleep(2000);
        return undefined;
      }
      return true;
    });
    const allProgrammedSec = (performance.now() - t0) / 1000;
    console.log(`all Programmed ${allProgrammedSec.toFixed(1)} s after the first create`);

    // 2. Idle: the replicas renew their Leases every 5 s; nothing else happens. First let the
    // onboarding's trailing writes (its Events) drain: no write for 5 s.
    let quiet = (await writesOf(op)).nonLease;
    await eventually('the onboarding writes to drain', 10 * 60_000, async () => {
      await sleep(5000);
      const now = (await writesOf(op)).nonLease;
      const done = now === quiet;
      quiet = now;
      return done ? true : undefined;
    });
    const cpu0 = await op.metric('process_cpu_seconds_total');
    const rec0 = await op.metric('aegis_operator_reconciles_total');
    const w0 = await writesOf(op);
    const i0 = performance.now();
    await sleep(IDLE_SECONDS * 1000);
    const idleSec = (performance.now() - i0) / 1000;
    const idleCpuPercent = (((await op.metric('process_cpu_seconds_total')) - cpu0) / idleSec) * 100;
    const idleReconciles = (await op.metric('aegis_operator_reconciles_total')) - rec0;
    const idleWrites = (await writesOf(op)).nonLease - w0.nonLease;
    console.log(
      `idle ${idleSec.toFixed(0)} s: operator CPU ${idleCpuPercent.toFixed(2)} % of a core, ` +
        `${idleReconciles} reconciles, ${idleWrites} writes`,
    );

    // 3 and 4. Quota changes, one at a time, on tenants spread over the fleet.
    const enforced: number[] = [];
    const programmedMs: number[] = [];
    const writes: { status: number; configMaps: number; events: number; nonLease: number }[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const target = name(Math.floor(((c + 0.5) * tenants) / CHANGES));
      const rpm = 200 + c;
      const before = await writesOf(op);
      const started = Date.now();
      const res = await k.request('PATCH', `${tenantsPath}/${target}`, {
        body: { spec: { rateLimit: { requestsPerMinute: rpm } } },
        contentType: 'application/merge-patch+json',
      });
      if (res.status !== 200) throw new Error(`PATCH ${target}: ${res.status}`);
      const generation = res.body.metadata.generation as number;
      let enforcedAt: number | undefined;
      let programmedAt: number | undefined;
      const deadline = Date.now() + 60_000;
      while ((enforcedAt === undefined || programmedAt === undefined) && Date.now() < deadline) {
        if (enforcedAt === undefined) {
          const views = await gw.tenant(target);
          if (views.length === REPLICAS && views.every((v) => v.requestsPerMinute === rpm))
            enforcedAt = Math.max(...views.map((v) => v.at!));
        }
        if (programmedAt === undefined) {
          const t = await k.request('GET', `${tenantsPath}/${target}`);
          if (
            t.status === 200 &&
            isProgrammed(t.body as TenantItem) &&
            t.body.metadata.generation === generation
          )
            programmedAt = Date.now();
        }
        if (enforcedAt === undefined || programmedAt === undefined) await sleep(25);
      }
      if (enforcedAt === undefined || programmedAt === undefined)
        throw new Error(`change ${c} on ${target} not enforced/Programmed within 60 s`);
      enforced.push(enforcedAt - started);
      programmedMs.push(programmedAt - started);
      // Let the change's trailing writes (its Events) land before counting.
      await sleep(1000);
      const after = await writesOf(op);
      writes.push({
        status: after.status - before.status,
        configMaps: after.configMaps - before.configMaps,
        events: after.events - before.events,
        nonLease: after.nonLease - before.nonLease,
      });
    }
    const maxOf = (key: keyof (typeof writes)[number]) => Math.max(...writes.map((w) => w[key]));
    const meanOf = (key: keyof (typeof writes)[number]) =>
      Math.round((writes.reduce((a, w) => a + w[key], 0) / writes.length) * 100) / 100;
    const result = {
      tenants,
      gateway_replicas: REPLICAS,
      create_seconds: Math.round(createdSec * 10) / 10,
      all_programmed_seconds: Math.round(allProgrammedSec * 10) / 10,
      idle: {
        seconds: Math.round(idleSec),
        operator_cpu_percent_of_core: Math.round(idleCpuPercent * 100) / 100,
        reconciles: idleReconciles,
        writes: idleWrites,
      },
      writes_per_change: {
        status_max: maxOf('status'),
        status_mean: meanOf('status'),
        configmaps_max: maxOf('configMaps'),
        events_max: maxOf('events'),
        all_max: maxOf('nonLease'),
        all_mean: meanOf('nonLease'),
      },
      change_to_enforced_on_every_replica: summary(enforced),
      change_to_programmed: summary(programmedMs),
    };
    console.log(
      `writes per change: status max ${result.writes_per_change.status_max}, all (status + ConfigMap + ` +
        `Events) max ${result.writes_per_change.all_max}`,
    );
    console.log(
      `change → enforced on every replica: p50 ${result.change_to_enforced_on_every_replica.p50_ms} ms, ` +
        `p99 ${result.change_to_enforced_on_every_replica.p99_ms} ms; → Programmed: p50 ` +
        `${result.change_to_programmed.p50_ms} ms, p99 ${result.change_to_programmed.p99_ms} ms`,
    );
    return result;
  } finally {
    await gateways?.stop();
    await operator?.proc.stop();
    await cp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(repoRoot, 'operator', 'dist', 'main.js')))
    throw new Error('operator/dist/main.js is not built: run `npm run build`');
  const results = [];
  for (const n of SIZES) results.push(await runSize(n));
  const out = {
    benchmark: 'operator',
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    gateway_replicas: `${REPLICAS} in one process, running the gateway's Kubernetes source, holder and replica Lease`,
    targets: {
      idle_cpu_percent: '< 2',
      writes_per_change: '<= 3',
      change_to_enforced_p99_ms: '<= 2000',
      change_to_programmed_p99_ms: '<= 3000',
    },
    results,
  };
  fs.writeFileSync(OUT, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(repoRoot, OUT)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
