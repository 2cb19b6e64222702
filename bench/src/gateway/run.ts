import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  cpuSeconds,
  ensureTools,
  optionalTool,
  freePort,
  peakRssMiB,
  repoRoot,
  startGateway,
  startAuthService,
  startRedis,
  startTokenAuthority,
  tempDir,
  writeGatewayFiles,
  type RunningGateway,
  type TenantDoc,
} from '@aegis/testing';
import { caddyVersion, startCaddy, type RunningCaddy } from './caddy';
import { startNginx } from './nginx';
import { HIGH, startBenchBackend, startReferenceProxy } from './setup';
import { roundRobinScript, runWrk, wrkCommand, type LoadResult } from './wrk';

const exec = promisify(execFile);

/** The gateway benchmark (issues 6 and 17): A the backend directly, B the gateway with JWT and
 * in-memory limits, C the gateway with the Redis limiter, D nginx, E a bare node:http proxy, F the
 * gateway's forwarding core alone, G Caddy with forward_auth to the auth service, H Caddy as a plain
 * reverse proxy; rounds interleaved A B C … H; then two Redis-sharing replicas behind a round-robin
 * client (throughput per replica, the quota across them), the added latency at a fixed moderate rate
 * and a route/tenant table sweep. Writes bench/results/gateway.json (and gateway.md). */

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 500);

type Name = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H';

interface Target {
  name: Name;
  label: string;
  url: string;
  /** The processes whose CPU the configuration costs (G: Caddy and the auth service). */
  pids: () => number[];
  headers?: Record<string, string>;
}

/** Quota check across the replicas: a bucket of this many requests, refilled at as many per minute
 * (the configuration requires burst ≤ requestsPerMinute). Two replicas each counting alone would admit
 * about twice the burst. */
const QUOTA_BURST = Number(process.env.BENCH_QUOTA_BURST ?? 300);
const QUOTA_RPM = QUOTA_BURST;

interface Sample extends LoadResult {
  cpuSec: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

const cpuOf = (pids: number[]) => pids.reduce((a, pid) => a + cpuSeconds(pid), 0);

async function measure(t: Target, duration = DURATION): Promise<Sample> {
  const pids = t.pids();
  const cpu0 = cpuOf(pids);
  const r = await runWrk({ url: t.url, connections: CONNECTIONS, durationSec: duration, headers: t.headers });
  return { ...r, cpuSec: cpuOf(pids) - cpu0 };
}

/** Requests a gateway counted (its aegis_gateway_requests_total, all labels), from its admin port. */
async function countedRequests(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('aegis_gateway_requests_total{'))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').trim();

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

interface Summary {
  label: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuPer1kRequestsMs: number;
  /** Requests per CPU-second of the configuration's processes (how replicas are sized). */
  requestsPerCpuSecond: number;
  peakRssMiB: number;
  non2xx: number;
  socketErrors: number;
}

export interface GatewayReport {
  date: string;
  machine: {
    cores: number;
    cpu: string;
    memoryGiB: number;
    kernel: string;
    loadavgBefore: string;
    loadavgAfter: string;
  };
  versions: Record<string, string>;
  settings: Record<string, number>;
  commands: { load: string; rerun: string; nginxConfig: string; caddyConfig?: string };
  summary: Partial<Record<Name, Summary>>;
  skipped: Partial<Record<Name, string>>;
  ratios: Record<string, number>;
  targets: Record<string, string>;
  met: Record<string, boolean>;
  replicas: {
    replicas: number;
    requestsPerSec: number;
    perReplica: { requestsPerSec: number; cpuPer1kRequestsMs: number; share: number }[];
    quota: {
      burst: number;
      requestsPerMinute: number;
      durationSec: number;
      allowed: number;
      denied429: number;
      allowedMax: number;
      exact: boolean;
    };
  };
  pacedLatency: Record<string, number>;
  sweep: { routes: number; tenants: number; requestsPerSec: number; p50Ms: number; peakRssMiB: number }[];
  samples: Record<string, Sample[]>;
  durationSec: number;
}

async function main(): Promise<void> {
  ensureTools();
  const started = Date.now();
  const loadBefore = loadavg();
  const bench = await startBenchBackend();
  const backend = bench.process;
  const backendPort = bench.port;
  const backendUrl = bench.url;
  const authority = await startTokenAuthority();
  const redis = await startRedis();
  const token = await authority.sign({ tenant_id: 'default', user_id: 'bench', sub: 'bench' });
  const auth = { authorization: `Bearer ${token}` };
  const files = writeGatewayFiles({
    services: { orchestration: backendUrl },
    routes: [{ prefix: '/api/v1/bench', service: 'orchestration' }],
    tenants: [
      { name: 'default', spec: { rateLimit: HIGH } },
      { name: 'quota', spec: { rateLimit: { requestsPerMinute: QUOTA_RPM, burst: QUOTA_BURST } } },
    ],
  });
  const quiet = { LOG_LEVEL: 'warn' };
  const gwB = await startGateway({ files, authority, env: quiet });
  const gwC = await startGateway({ files, authority, env: { ...quiet, REDIS_URL: redis.url } });
  const nginx = await startNginx(await freePort(), backendPort);
  const raw = await startReferenceProxy('raw-proxy', 'bench/src/gateway/raw-proxy.ts', backendPort);
  const core = await startReferenceProxy('forward-core', 'bench/src/gateway/forward-core.ts', backendPort);
  // G and H need Debian's caddy (installed when missing, as root); without it they are skipped with
  // the reason in the report.
  const caddyTool = optionalTool('caddy');
  const caddy = caddyTool.ok ? caddyVersion() : undefined;
  const skipped: Partial<Record<Name, string>> = {};
  let authService: Awaited<ReturnType<typeof startAuthService>> | undefined;
  let caddyG: RunningCaddy | undefined;
  let caddyH: RunningCaddy | undefined;
  let authDir: string | undefined;
  let authToken = '';
  if (caddy) {
    authDir = tempDir('bench-auth');
    authService = await startAuthService(authDir, quiet);
    const login = await fetch(`${authService.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@aegis.local', password: 'aegis-dev-admin' }),
    });
    authToken = ((await login.json()) as { access_token: string }).access_token;
    caddyG = await startCaddy(await freePort(), backendPort, authService.url);
    caddyH = await startCaddy(await freePort(), backendPort);
  } else {
    const reason = caddyTool.ok ? 'caddy version failed' : caddyTool.reason;
    skipped.G = reason;
    skipped.H = reason;
    console.log(`skipping G and H: ${reason}`);
  }
  const gatewayPid = (g: RunningGateway) => () => [g.process.child.pid!];
  const targets: Target[] = [
    { name: 'A', label: 'backend directly', url: `${backendUrl}/bench/x`, pids: () => [backend.child.pid!] },
    {
      name: 'B',
      label: 'AEGIS gateway, JWT + in-memory limits',
      url: `${gwB.url}/api/v1/bench/x`,
      pids: gatewayPid(gwB),
      headers: auth,
    },
    {
      name: 'C',
      label: 'AEGIS gateway, JWT + Redis limits',
      url: `${gwC.url}/api/v1/bench/x`,
      pids: gatewayPid(gwC),
      headers: auth,
    },
    {
      name: 'D',
      label: 'nginx reverse proxy (1 worker, upstream keep-alive)',
      url: `${nginx.url}/bench/x`,
      pids: () => [nginx.workerPid()],
    },
    {
      name: 'E',
      label: 'reference: bare node:http proxy (no auth, limits or metrics)',
      url: `${raw.url}/bench/x`,
      pids: () => [raw.proc.child.pid!],
    },
    {
      name: 'F',
      label: 'reference: AEGIS forwarding core alone (no Koa, auth, limits or metrics)',
      url: `${core.url}/bench/x`,
      pids: () => [core.proc.child.pid!],
    },
    ...(caddyG && caddyH && authService
      ? [
          {
            name: 'G' as const,
            label: 'Caddy, forward_auth to the auth service (GOMAXPROCS=1; CPU: Caddy + auth)',
            url: `${caddyG.url}/bench/x`,
            pids: () => [caddyG.pid, authService.process.child.pid!],
            headers: { authorization: `Bearer ${authToken}` },
          },
          {
            name: 'H' as const,
            label: 'Caddy plain reverse proxy (GOMAXPROCS=1)',
            url: `${caddyH.url}/bench/x`,
            pids: () => [caddyH.pid],
          },
        ]
      : []),
  ];
  let replicaB: RunningGateway | undefined;
  try {
    // Warm-up (JIT, connection pools, token cache), not recorded.
    for (const t of targets) {
      const w = await measure(t, 2);
      if (w.requests === 0 || w.non2xx === w.requests)
        throw new Error(`${t.name} answers no 2xx: ${JSON.stringify(w)}`);
    }
    const samples: Record<string, Sample[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
    for (let r = 1; r <= ROUNDS; r += 1) {
      for (const t of targets) {
        const s = await measure(t);
        samples[t.name].push(s);
        console.log(
          `round ${r} ${t.name}: ${round1(s.requestsPerSec)} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, non-2xx ${s.non2xx}`,
        );
      }
    }
    const summary: Partial<Record<Name, Summary>> = Object.fromEntries(
      targets.map((t) => {
        const xs = samples[t.name];
        const rps = median(xs.map((x) => x.requestsPerSec));
        const cpuPerRequest = xs.reduce((a, x) => a + x.cpuSec, 0) / xs.reduce((a, x) => a + x.requests, 0);
        return [
          t.name,
          {
            label: t.label,
            requestsPerSec: round1(rps),
            p50Ms: round2(median(xs.map((x) => x.p50Ms))),
            p99Ms: round2(median(xs.map((x) => x.p99Ms))),
            cpuPer1kRequestsMs: round2(cpuPerRequest * 1e6),
            requestsPerCpuSecond: Math.round(1 / cpuPerRequest),
            peakRssMiB: round1(t.pids().reduce((a, pid) => a + peakRssMiB(pid), 0)),
            non2xx: xs.reduce((a, x) => a + x.non2xx, 0),
            socketErrors: xs.reduce((a, x) => a + x.errors, 0),
          },
        ];
      }),
    );
    const ratios: Record<string, number> = {};
    for (const [a, b] of [
      ['B', 'A'],
      ['C', 'A'],
      ['B', 'D'],
      ['C', 'D'],
      ['C', 'B'],
      ['E', 'D'],
      ['B', 'E'],
      ['F', 'E'],
      ['B', 'F'],
      ['B', 'G'],
      ['H', 'D'],
    ] as const) {
      if (summary[a] && summary[b])
        ratios[`${a}/${b}`] = round2(summary[a].requestsPerSec / summary[b].requestsPerSec);
    }
    const met = {
      'B/E >= 0.85': ratios['B/E'] >= 0.85,
      'C/B in [0.85, 1.0]': ratios['C/B'] >= 0.85 && ratios['C/B'] <= 1.0,
      'B/D >= 0.30': ratios['B/D'] >= 0.3,
      ...(ratios['B/G'] !== undefined ? { 'B > G': ratios['B/G'] > 1 } : {}),
    };

    // Two replicas sharing Redis behind a round-robin client (wrk: one thread per replica).
    replicaB = await startGateway({ files, authority, env: { ...quiet, REDIS_URL: redis.url } });
    const replicas = [gwC, replicaB];
    const ports = replicas.map((g) => Number(new URL(g.url).port));
    const script = path.join(tempDir('wrk-rr'), 'round-robin.lua');
    fs.writeFileSync(script, roundRobinScript(ports));
    const rrUrl = `${gwC.url}/api/v1/bench/x`;
    // The second replica has just started: warm it (JIT, pools, token cache) through the same client.
    await runWrk({ url: rrUrl, connections: CONNECTIONS, durationSec: 2, headers: auth, script, threads: 2 });
    const counted0 = await Promise.all(replicas.map((g) => countedRequests(g.adminUrl)));
    const cpu0 = replicas.map((g) => cpuSeconds(g.process.child.pid!));
    const rr = await runWrk({
      url: rrUrl,
      connections: CONNECTIONS,
      durationSec: DURATION,
      headers: auth,
      script,
      threads: 2,
    });
    const counted = (await Promise.all(replicas.map((g) => countedRequests(g.adminUrl)))).map(
      (n, i) => n - counted0[i],
    );
    const cpu = replicas.map((g, i) => cpuSeconds(g.process.child.pid!) - cpu0[i]);
    const total = counted.reduce((a, b) => a + b, 0);
    const quotaToken = await authority.sign({ tenant_id: 'quota', user_id: 'quota', sub: 'quota' });
    const quotaSeconds = 3;
    const q = await runWrk({
      url: rrUrl,
      connections: CONNECTIONS,
      durationSec: quotaSeconds,
      headers: { authorization: `Bearer ${quotaToken}` },
      script,
      threads: 2,
    });
    // A bucket of QUOTA_BURST refilled at QUOTA_RPM per minute admits at most this many in the run
    // (its length plus a second of slack for wrk's start and the requests in flight at its end).
    const allowedMax = QUOTA_BURST + Math.ceil(((quotaSeconds + 1) * QUOTA_RPM) / 60);
    const allowed = q.requests - q.non2xx;
    const replicaReport = {
      replicas: replicas.length,
      requestsPerSec: round1(rr.requestsPerSec),
      perReplica: counted.map((n, i) => ({
        requestsPerSec: round1(rr.requestsPerSec * (n / total)),
        cpuPer1kRequestsMs: round2((cpu[i] / n) * 1e6),
        share: round2(n / total),
      })),
      quota: {
        burst: QUOTA_BURST,
        requestsPerMinute: QUOTA_RPM,
        durationSec: quotaSeconds,
        allowed,
        denied429: q.non2xx,
        allowedMax,
        // Exact: the bucket was emptied (429s were answered) and no more than it holds was admitted.
        exact: q.non2xx > 0 && allowed >= QUOTA_BURST && allowed <= allowedMax,
      },
    };
    console.log(`replicas: ${JSON.stringify(replicaReport)}`);

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

    const sweep: GatewayReport['sweep'] = [];
    for (const [routes, tenants] of SWEEP) {
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
        pids: gatewayPid(gw),
        headers: { authorization: `Bearer ${t}` },
      };
      await measure(target, 2);
      const s = await measure(target);
      const rss = round1(peakRssMiB(target.pids()[0]));
      sweep.push({
        routes,
        tenants,
        requestsPerSec: round1(s.requestsPerSec),
        p50Ms: s.p50Ms,
        peakRssMiB: rss,
      });
      console.log(
        `sweep ${routes} routes, ${tenants} tenants: ${round1(s.requestsPerSec)} req/s, peak RSS ${rss} MiB`,
      );
      await gw.stop();
    }

    const versions = {
      node: process.version,
      nginx: execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim(),
      wrk: execFileSync('sh', ['-c', 'wrk --version 2>&1 | head -1'], { encoding: 'utf8' }).trim(),
      redis: execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim(),
      caddy: caddy ?? 'not installed',
    };
    const report: GatewayReport = {
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: round1(os.totalmem() / 2 ** 30),
        kernel: os.release(),
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg(),
      },
      versions,
      settings: {
        rounds: ROUNDS,
        secondsPerRound: DURATION,
        connections: CONNECTIONS,
        pacedRate: PACED_RATE,
        quotaBurst: QUOTA_BURST,
      },
      commands: {
        load: `wrk ${wrkCommand({ url: '<url>', connections: CONNECTIONS, durationSec: DURATION, headers: { Authorization: 'Bearer <token>' } }).join(' ')}`,
        rerun:
          'npm run bench   (env: BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_PACED_RATE, BENCH_QUOTA_BURST, BENCH_QUICK=1)',
        nginxConfig: nginx.config,
        ...(caddyG ? { caddyConfig: caddyG.config } : {}),
      },
      summary,
      skipped,
      ratios,
      targets: {
        'B/E': '>= 0.85',
        'C/B': 'between 0.85 and 1.0',
        'B/D': '>= 0.30',
        'B/G': '> 1',
      },
      met,
      replicas: replicaReport,
      pacedLatency: added,
      sweep,
      samples,
      durationSec: Math.round((Date.now() - started) / 1000),
    };
    writeGatewayJson(report);
    writeLatestMd(report);
  } finally {
    await Promise.all([gwB.stop(), gwC.stop(), nginx.stop(), raw.proc.stop(), core.proc.stop()]);
    await replicaB?.stop();
    await caddyG?.stop();
    await caddyH?.stop();
    await authService?.stop();
    if (authDir) fs.rmSync(authDir, { recursive: true, force: true });
    await backend.stop();
    await authority.close();
    await redis.stop();
  }
}

/** The route/tenant sweep; BENCH_QUICK=1 keeps only the first and the largest tables. */
const SWEEP: readonly (readonly [number, number])[] =
  process.env.BENCH_QUICK === '1'
    ? [
        [10, 10],
        [1000, 1000],
      ]
    : [
        [10, 10],
        [100, 10],
        [1000, 10],
        [10, 100],
        [10, 1000],
      ];

/** The gateway's figures: bench/results/gateway.json. */
function writeGatewayJson(r: GatewayReport): void {
  const dir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'gateway.json'), JSON.stringify(r, null, 2) + '\n');
}

/** bench/results/gateway.md: the gateway run in detail; latest.md is composed by bench/src/report. */
function writeLatestMd(r: GatewayReport): void {
  const dir = path.join(repoRoot, 'bench', 'results');
  const rows = Object.entries(r.summary).map(
    ([k, s]) =>
      `| ${k} | ${s.label} | ${s.requestsPerSec} | ${s.p50Ms} | ${s.p99Ms} | ${s.cpuPer1kRequestsMs} | ${s.requestsPerCpuSecond} | ${s.peakRssMiB} | ${s.non2xx} |`,
  );
  const skipped = Object.entries(r.skipped).map(([k, why]) => `| ${k} | skipped: ${why} | | | | | | | |`);
  const q = r.replicas.quota;
  const md = `# Gateway benchmark

${r.date} · ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel} · ${r.durationSec} s
Load average before / after: ${r.machine.loadavgBefore} / ${r.machine.loadavgAfter} (the machine is shared: figures are noisy, ratios within one run are the point).
Versions: Node ${r.versions.node}; ${r.versions.nginx}; ${r.versions.wrk}; ${r.versions.redis}; Caddy ${r.versions.caddy}

${r.settings.rounds} interleaved rounds (A B C … H) of ${r.settings.secondsPerRound} s at ${r.settings.connections} connections; medians.
The load generator (wrk, one thread) is a separate process on the same 2 cores, so absolute numbers
are lower than on a dedicated client; the ratios are the point.

| | configuration | req/s | p50 ms | p99 ms | CPU ms per 1k req | req per CPU-s | peak RSS MiB | non-2xx |
|---|---|---|---|---|---|---|---|---|
${[...rows, ...skipped].join('\n')}

Ratios (throughput): ${Object.entries(r.ratios)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ')}.
Targets: ${Object.entries(r.met)
    .map(([k, ok]) => `${k} ${ok ? 'met' : '**not met**'}`)
    .join('; ')}. E is a bare node:http proxy (no auth, limits, header hygiene or metrics): E/D is the
ceiling any gateway built on node:http reaches here, B/E the share of that ceiling the AEGIS gateway
keeps; F is the gateway's forwarding core alone (F/E: does the forwarding itself beat the bare proxy).
req per CPU-s is how a platform team sizes replicas (B and D).

Two gateway replicas sharing Redis, wrk with one thread per replica (round-robin Lua script):
${r.replicas.requestsPerSec} req/s in all; per replica ${r.replicas.perReplica
    .map(
      (p) =>
        `${p.requestsPerSec} req/s (${Math.round(p.share * 100)} %, ${p.cpuPer1kRequestsMs} CPU-ms per 1k)`,
    )
    .join(' and ')}.
Quota across them: a bucket of ${q.burst} refilled at ${q.requestsPerMinute}/min, hammered for ${q.durationSec} s through both →
${q.allowed} admitted (at most ${q.allowedMax} allowed), ${q.denied429} refused with 429 → ${q.exact ? '**exact**' : '**not exact**'}.

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
${r.commands.caddyConfig ? `\nCaddyfile used for G (H: the same without forward_auth):\n\n\`\`\`\n${r.commands.caddyConfig}\`\`\`\n` : ''}`;
  fs.writeFileSync(path.join(dir, 'gateway.md'), md);
  console.log(`\n${md}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
