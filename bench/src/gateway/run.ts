import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  cpuSeconds,
  ensureTools,
  freePort,
  peakRssMiB,
  repoRoot,
  startGateway,
  startNodeProcess,
  startRedis,
  startTokenAuthority,
  writeGatewayFiles,
  type RunningGateway,
  type TenantDoc,
} from '@aegis/testing';
import { startNginx } from './nginx';
import { runWrk, wrkCommand, type LoadResult } from './wrk';

const exec = promisify(execFile);

/** The gateway benchmark (issue 6): A the backend directly, B the gateway with JWT and in-memory
 * limits, C the gateway with the Redis limiter, D nginx; rounds interleaved A B C D …; then the added
 * latency at a fixed moderate rate and a route/tenant table sweep. Writes bench/results/latest.{md,json}. */

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 500);
const HIGH = { requestsPerMinute: 1_000_000, burst: 100_000 };

interface Target {
  name: 'A' | 'B' | 'C' | 'D' | 'E';
  label: string;
  url: string;
  pid: () => number;
  headers?: Record<string, string>;
}

interface Sample extends LoadResult {
  cpuSec: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

async function measure(t: Target, duration = DURATION): Promise<Sample> {
  const pid = t.pid();
  const cpu0 = cpuSeconds(pid);
  const r = await runWrk({ url: t.url, connections: CONNECTIONS, durationSec: duration, headers: t.headers });
  return { ...r, cpuSec: cpuSeconds(pid) - cpu0 };
}

async function paced(
  url: string,
  auth?: string,
): Promise<{ p50Ms: number; p99Ms: number; ok: number; failures: number }> {
  const script = path.join(__dirname, 'paced.ts');
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const { stdout } = await exec(tsx, [
    script,
    url,
    String(PACED_RATE),
    String(DURATION),
    ...(auth ? [auth] : []),
  ]);
  return JSON.parse(stdout.trim().split('\n').pop()!) as {
    p50Ms: number;
    p99Ms: number;
    ok: number;
    failures: number;
  };
}

async function main(): Promise<void> {
  ensureTools();
  const started = Date.now();
  const backendPort = await freePort();
  const backend = await startNodeProcess({
    name: 'backend',
    entry: 'bench/src/gateway/backend.ts',
    runner: 'tsx',
    env: { PORT: String(backendPort) },
    readyUrl: `http://127.0.0.1:${backendPort}/ready`,
  });
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const authority = await startTokenAuthority();
  const redis = await startRedis();
  const token = await authority.sign({ tenant_id: 'default', user_id: 'bench', sub: 'bench' });
  const auth = { authorization: `Bearer ${token}` };
  const files = writeGatewayFiles({
    services: { orchestration: backendUrl },
    routes: [{ prefix: '/api/v1/bench', service: 'orchestration' }],
    tenants: [{ name: 'default', spec: { rateLimit: HIGH } }],
  });
  const quiet = { LOG_LEVEL: 'warn' };
  const gwB = await startGateway({ files, authority, env: quiet });
  const gwC = await startGateway({ files, authority, env: { ...quiet, REDIS_URL: redis.url } });
  const nginx = await startNginx(await freePort(), backendPort);
  const rawPort = await freePort();
  const raw = await startNodeProcess({
    name: 'raw-proxy',
    entry: 'bench/src/gateway/raw-proxy.ts',
    runner: 'tsx',
    env: { PORT: String(rawPort), UPSTREAM_PORT: String(backendPort) },
    readyUrl: `http://127.0.0.1:${rawPort}/ready`,
  });
  const gatewayPid = (g: RunningGateway) => () => g.process.child.pid!;
  const targets: Target[] = [
    { name: 'A', label: 'backend directly', url: `${backendUrl}/bench/x`, pid: () => backend.child.pid! },
    {
      name: 'B',
      label: 'AEGIS gateway, JWT + in-memory limits',
      url: `${gwB.url}/api/v1/bench/x`,
      pid: gatewayPid(gwB),
      headers: auth,
    },
    {
      name: 'C',
      label: 'AEGIS gateway, JWT + Redis limits',
      url: `${gwC.url}/api/v1/bench/x`,
      pid: gatewayPid(gwC),
      headers: auth,
    },
    {
      name: 'D',
      label: 'nginx reverse proxy (1 worker, upstream keep-alive)',
      url: `${nginx.url}/bench/x`,
      pid: () => nginx.workerPid(),
    },
    {
      name: 'E',
      label: 'reference: bare node:http proxy (no auth, limits or metrics)',
      url: `http://127.0.0.1:${rawPort}/bench/x`,
      pid: () => raw.child.pid!,
    },
  ];
  try {
    // Warm-up (JIT, connection pools, token cache), not recorded.
    for (const t of targets) await measure(t, 2);
    const samples: Record<string, Sample[]> = { A: [], B: [], C: [], D: [], E: [] };
    for (let r = 1; r <= ROUNDS; r += 1) {
      for (const t of targets) {
        const s = await measure(t);
        samples[t.name].push(s);
        console.log(
          `round ${r} ${t.name}: ${round1(s.requestsPerSec)} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, non-2xx ${s.non2xx}`,
        );
      }
    }
    const summary = Object.fromEntries(
      targets.map((t) => {
        const xs = samples[t.name];
        const rps = median(xs.map((x) => x.requestsPerSec));
        return [
          t.name,
          {
            label: t.label,
            requestsPerSec: round1(rps),
            p50Ms: round2(median(xs.map((x) => x.p50Ms))),
            p99Ms: round2(median(xs.map((x) => x.p99Ms))),
            cpuPer1kRequestsMs: round2(
              (xs.reduce((a, x) => a + x.cpuSec, 0) / xs.reduce((a, x) => a + x.requests, 0)) * 1e6,
            ),
            peakRssMiB: round1(peakRssMiB(t.pid())),
            non2xx: xs.reduce((a, x) => a + x.non2xx, 0),
            socketErrors: xs.reduce((a, x) => a + x.errors, 0),
          },
        ];
      }),
    ) as Record<
      'A' | 'B' | 'C' | 'D' | 'E',
      {
        requestsPerSec: number;
        p50Ms: number;
        p99Ms: number;
        label: string;
        cpuPer1kRequestsMs: number;
        peakRssMiB: number;
        non2xx: number;
        socketErrors: number;
      }
    >;
    type Name = 'A' | 'B' | 'C' | 'D' | 'E';
    const ratio = (a: Name, b: Name) => round2(summary[a].requestsPerSec / summary[b].requestsPerSec);
    const ratios = {
      'B/A': ratio('B', 'A'),
      'C/A': ratio('C', 'A'),
      'B/D': ratio('B', 'D'),
      'C/D': ratio('C', 'D'),
      'C/B': ratio('C', 'B'),
      'E/D': ratio('E', 'D'),
      'B/E': ratio('B', 'E'),
    };

    const pacedA = await paced(targets[0].url);
    const pacedB = await paced(targets[1].url, auth.authorization);
    const added = {
      rate: PACED_RATE,
      directP50Ms: round2(pacedA.p50Ms),
      gatewayP50Ms: round2(pacedB.p50Ms),
      addedP50Ms: round2(pacedB.p50Ms - pacedA.p50Ms),
      directP99Ms: round2(pacedA.p99Ms),
      gatewayP99Ms: round2(pacedB.p99Ms),
    };
    console.log(
      `paced ${PACED_RATE}/s: direct p50 ${added.directP50Ms} ms, gateway p50 ${added.gatewayP50Ms} ms`,
    );

    const sweep: {
      routes: number;
      tenants: number;
      requestsPerSec: number;
      p50Ms: number;
      peakRssMiB: number;
    }[] = [];
    for (const [routes, tenants] of [
      [10, 10],
      [100, 10],
      [1000, 10],
      [10, 100],
      [10, 1000],
    ] as const) {
      const tenantDocs: TenantDoc[] = Array.from({ length: tenants }, (_, i) => ({
        name: `t${i}`,
        spec: { rateLimit: HIGH },
      }));
      const sweepFiles = writeGatewayFiles({
        services: { orchestration: backendUrl },
        routes: Array.from({ length: routes }, (_, i) => ({
          prefix: `/api/v1/r${i}`,
          service: 'orchestration',
        })),
        tenants: tenantDocs,
      });
      const gw = await startGateway({ files: sweepFiles, authority, env: quiet });
      const t = await authority.sign({ tenant_id: `t${tenants - 1}`, user_id: 'sweep', sub: 'sweep' });
      const target: Target = {
        name: 'B',
        label: 'sweep',
        url: `${gw.url}/api/v1/r${routes - 1}/x`,
        pid: gatewayPid(gw),
        headers: { authorization: `Bearer ${t}` },
      };
      await measure(target, 2);
      const s = await measure(target);
      sweep.push({
        routes,
        tenants,
        requestsPerSec: round1(s.requestsPerSec),
        p50Ms: s.p50Ms,
        peakRssMiB: round1(peakRssMiB(target.pid())),
      });
      console.log(
        `sweep ${routes} routes, ${tenants} tenants: ${round1(s.requestsPerSec)} req/s, peak RSS ${round1(peakRssMiB(target.pid()))} MiB`,
      );
      await gw.stop();
    }

    const versions = {
      node: process.version,
      nginx: execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim(),
      wrk: execFileSync('sh', ['-c', 'wrk --version 2>&1 | head -1'], { encoding: 'utf8' }).trim(),
      redis: execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim(),
    };
    const report = {
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: round1(os.totalmem() / 2 ** 30),
        kernel: os.release(),
      },
      versions,
      settings: {
        rounds: ROUNDS,
        secondsPerRound: DURATION,
        connections: CONNECTIONS,
        pacedRate: PACED_RATE,
      },
      commands: {
        load: `wrk ${wrkCommand({ url: '<url>', connections: CONNECTIONS, durationSec: DURATION, headers: { Authorization: 'Bearer <token>' } }).join(' ')}`,
        rerun: 'npm run bench   (env: BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_PACED_RATE)',
        nginxConfig: nginx.config,
      },
      summary,
      ratios,
      targets: { 'B/D': 0.5, 'C/B': 0.85 },
      pacedLatency: added,
      sweep,
      samples,
      durationSec: Math.round((Date.now() - started) / 1000),
    };
    writeReport(report);
  } finally {
    await Promise.all([gwB.stop(), gwC.stop(), nginx.stop(), raw.stop()]);
    await backend.stop();
    await authority.close();
    await redis.stop();
  }
}

function writeReport(r: {
  date: string;
  machine: { cores: number; cpu: string; memoryGiB: number; kernel: string };
  versions: Record<string, string>;
  settings: Record<string, number>;
  commands: { load: string; rerun: string; nginxConfig: string };
  summary: Record<
    string,
    {
      label: string;
      requestsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      cpuPer1kRequestsMs: number;
      peakRssMiB: number;
      non2xx: number;
      socketErrors: number;
    }
  >;
  ratios: Record<string, number>;
  pacedLatency: Record<string, number>;
  sweep: { routes: number; tenants: number; requestsPerSec: number; p50Ms: number; peakRssMiB: number }[];
  durationSec: number;
}): void {
  const dir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(r, null, 2) + '\n');
  const rows = Object.entries(r.summary).map(
    ([k, s]) =>
      `| ${k} | ${s.label} | ${s.requestsPerSec} | ${s.p50Ms} | ${s.p99Ms} | ${s.cpuPer1kRequestsMs} | ${s.peakRssMiB} | ${s.non2xx} |`,
  );
  const md = `# Gateway benchmark

${r.date} · ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel} · ${r.durationSec} s
Versions: Node ${r.versions.node}; ${r.versions.nginx}; ${r.versions.wrk}; ${r.versions.redis}

${r.settings.rounds} interleaved rounds (A B C D …) of ${r.settings.secondsPerRound} s at ${r.settings.connections} connections; medians.
The load generator (wrk, one thread) is a separate process on the same 2 cores, so absolute numbers
are lower than on a dedicated client; the ratios are the point.

| | configuration | req/s | p50 ms | p99 ms | CPU ms per 1k req | peak RSS MiB | non-2xx |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Ratios (throughput): ${Object.entries(r.ratios)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ')}.
Targets: B/D ≥ 0.5; C within 15 % of B (C/B ≥ 0.85). E is a bare node:http proxy (no auth, limits,
header hygiene or metrics): E/D is the ceiling any gateway built on node:http reaches here, B/E the
share of that ceiling the AEGIS gateway keeps.

Added latency at a fixed ${r.pacedLatency.rate} req/s (not saturated): direct p50 ${r.pacedLatency.directP50Ms} ms,
through the gateway p50 ${r.pacedLatency.gatewayP50Ms} ms → **${r.pacedLatency.addedP50Ms} ms added** (p99 ${r.pacedLatency.directP99Ms} → ${r.pacedLatency.gatewayP99Ms} ms).

Route and tenant table sweep (gateway B, last route / last tenant requested):

| routes | tenants | req/s | p50 ms | peak RSS MiB |
|---|---|---|---|---|
${r.sweep.map((s) => `| ${s.routes} | ${s.tenants} | ${s.requestsPerSec} | ${s.p50Ms} | ${s.peakRssMiB} |`).join('\n')}

Rerun: \`${r.commands.rerun}\`. Load command: \`${r.commands.load}\`.

nginx configuration used for D:

\`\`\`nginx
${r.commands.nginxConfig}\`\`\`
`;
  fs.writeFileSync(path.join(dir, 'latest.md'), md);
  console.log(`\n${md}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
