import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  cpuSeconds,
  ensureTools,
  freePort,
  repoRoot,
  startGateway,
  startNodeProcess,
  startRedis,
  startTokenAuthority,
  writeGatewayFiles,
} from '@aegis/testing';
import { HIGH, startBenchBackend, startReferenceProxy } from './setup';
import { runWrk } from './wrk';

/**
 * Before/after in one run: a baseline gateway build (BASELINE_GATEWAY: the `dist/main.js` of
 * another checkout, built) and this checkout's, both B (JWT + in-memory limits), and E (the bare
 * node:http proxy), interleaved round by round under the same machine load. Writes
 * bench/results/gateway-before-after.md. Run under the bench lock:
 * `flock /tmp/aegis-bench.lock env BASELINE_GATEWAY=/path/to/gateway/dist/main.js npx tsx bench/src/gateway/compare.ts`.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

async function main(): Promise<void> {
  const baseline = process.env.BASELINE_GATEWAY;
  if (!baseline || !fs.existsSync(baseline))
    throw new Error('BASELINE_GATEWAY: a built gateway dist/main.js');
  ensureTools(['wrk']);
  const backend = await startBenchBackend();
  const authority = await startTokenAuthority();
  const token = await authority.sign({ tenant_id: 'default', user_id: 'bench', sub: 'bench' });
  const files = writeGatewayFiles({
    services: { orchestration: backend.url },
    routes: [{ prefix: '/api/v1/bench', service: 'orchestration' }],
    tenants: [{ name: 'default', spec: { rateLimit: HIGH } }],
  });
  const gatewayEnv = {
    LOG_LEVEL: 'warn',
    ROUTES_FILE: files.routesFile,
    TENANTS_FILE: files.tenantsFile,
    JWKS_URL: authority.jwksUrl,
    REVOCATIONS_URL: authority.revocationsUrl,
  };
  const stops: (() => Promise<void>)[] = [];
  /** The baseline gateway build, as its own process. */
  const startBaseline = async (env: Record<string, string> = {}) => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const proc = await startNodeProcess({
      name: 'gateway-baseline',
      entry: path.relative(repoRoot, baseline),
      env: { ...gatewayEnv, ...env, PORT: String(port), ADMIN_PORT: String(adminPort) },
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
    stops.push(() => proc.stop());
    return { url: `http://127.0.0.1:${port}`, pid: proc.child.pid! };
  };
  const startThis = async (env: Record<string, string> = {}) => {
    const g = await startGateway({ files, authority, env: { LOG_LEVEL: 'warn', ...env } });
    stops.push(() => g.stop());
    return { url: g.url, pid: g.process.child.pid! };
  };
  /** A reference proxy (raw-proxy.ts, forward-core.ts) from a checkout. */
  const startReference = async (name: string, entry: string) => {
    const { proc, url } = await startReferenceProxy(name, entry, backend.port);
    stops.push(() => proc.stop());
    return { url, pid: proc.child.pid! };
  };
  const auth = { authorization: `Bearer ${token}` };
  interface Target {
    name: string;
    url: string;
    pid: number;
    headers: Record<string, string>;
    /** C: the Redis it shares, whose CPU and script calls count towards it while it runs. */
    redis?: RedisSide;
  }
  const gatewayTarget = (name: string, g: { url: string; pid: number }): Target => ({
    name,
    url: `${g.url}/api/v1/bench/x`,
    pid: g.pid,
    headers: auth,
  });
  const referenceTarget = (name: string, g: { url: string; pid: number }): Target => ({
    name,
    url: `${g.url}/bench/x`,
    pid: g.pid,
    headers: {},
  });
  const targets = [
    gatewayTarget('B before', await startBaseline()),
    gatewayTarget('B after', await startThis()),
  ];
  // BENCH_REDIS=1: C (Redis limits) before and after too.
  if (process.env.BENCH_REDIS) {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    const side = redisSide(redis.port);
    targets.push({
      ...gatewayTarget('C before', await startBaseline({ REDIS_URL: redis.url })),
      redis: side,
    });
    targets.push({ ...gatewayTarget('C after', await startThis({ REDIS_URL: redis.url })), redis: side });
  }
  targets.push(referenceTarget('E', await startReference('raw-proxy', 'bench/src/gateway/raw-proxy.ts')));
  // BENCH_CORE=1: F (the forwarding core alone) of the baseline's checkout and of this one.
  if (process.env.BENCH_CORE) {
    const baselineRoot = path.resolve(path.dirname(baseline), '..', '..');
    const baselineCore = path.join(baselineRoot, 'bench', 'src', 'gateway', 'forward-core.ts');
    targets.push(
      referenceTarget(
        'F before',
        await startReference('core-baseline', path.relative(repoRoot, baselineCore)),
      ),
    );
    targets.push(
      referenceTarget('F after', await startReference('core', 'bench/src/gateway/forward-core.ts')),
    );
  }
  const rows: Record<
    string,
    { rps: number[]; cpu: number; requests: number; redisCpu: number; scriptCalls: number }
  > = {};
  const load = [fs.readFileSync('/proc/loadavg', 'utf8').trim()];
  try {
    for (const t of targets)
      await runWrk({ url: t.url, connections: CONNECTIONS, durationSec: 2, headers: t.headers });
    for (let r = 1; r <= ROUNDS; r += 1) {
      for (const t of targets) {
        const cpu0 = cpuSeconds(t.pid);
        const redis0 = t.redis?.sample();
        const w = await runWrk({
          url: t.url,
          connections: CONNECTIONS,
          durationSec: SECONDS,
          headers: t.headers,
        });
        const row = (rows[t.name] ??= { rps: [], cpu: 0, requests: 0, redisCpu: 0, scriptCalls: 0 });
        row.rps.push(w.requestsPerSec);
        row.cpu += cpuSeconds(t.pid) - cpu0;
        if (t.redis && redis0) {
          const redis1 = t.redis.sample();
          row.redisCpu += redis1.cpu - redis0.cpu;
          row.scriptCalls += redis1.scriptCalls - redis0.scriptCalls;
        }
        row.requests += w.requests;
        console.log(`round ${r} ${t.name}: ${Math.round(w.requestsPerSec)} req/s, non-2xx ${w.non2xx}`);
      }
    }
    load.push(fs.readFileSync('/proc/loadavg', 'utf8').trim());
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const cpu1k = (name: string) => (rows[name].cpu / rows[name].requests) * 1e6;
    const round1 = (x: number) => Math.round(x * 10) / 10;
    const redisColumns = (t: Target) =>
      t.redis
        ? `${round1((rows[t.name].redisCpu / rows[t.name].requests) * 1e6)} | ${round1((rows[t.name].scriptCalls / rows[t.name].requests) * 1000)}`
        : ' | ';
    const md = `# Gateway before/after, one run

${new Date().toISOString()} · load average before / after: ${load.join(' / ')}
${ROUNDS} interleaved rounds of ${SECONDS} s at ${CONNECTIONS} connections; medians. "before" is the gateway
built from the branch point, "after" this branch; B has in-memory limits, C Redis limits; E is the bare
node:http proxy, F the gateway's forwarding core alone. CPU is the process's own (C's excludes redis-server,
whose CPU and script calls while C ran are the last two columns).

| | req/s (median) | CPU ms per 1k req | CPU ratio to E | redis-server CPU ms per 1k req | script calls per 1k req |
|---|---|---|---|---|---|
${targets
  .map(
    (t) =>
      `| ${t.name} | ${Math.round(median(rows[t.name].rps))} | ${round1(cpu1k(t.name))} | ${Math.round((cpu1k(t.name) / cpu1k('E')) * 100) / 100} | ${redisColumns(t)} |`,
  )
  .join('\n')}

Rerun: \`flock /tmp/aegis-bench.lock env BASELINE_GATEWAY=<checkout>/gateway/dist/main.js BENCH_REDIS=1 BENCH_CORE=1 npx tsx bench/src/gateway/compare.ts\`.
`;
    fs.writeFileSync(path.join(repoRoot, 'bench', 'results', 'gateway-before-after.md'), md);
    console.log(md);
  } finally {
    for (const stop of stops) await stop();
    await backend.process.stop();
    await authority.close();
  }
}

interface RedisSide {
  /** redis-server's CPU seconds so far and the script calls (EVALSHA and EVAL) it has run. */
  sample(): { cpu: number; scriptCalls: number };
}

/** Reads a local redis-server's figures with redis-cli (its pid from INFO server). */
function redisSide(port: number): RedisSide {
  const info = (section: string) =>
    execFileSync('redis-cli', ['-p', String(port), 'INFO', section], { encoding: 'utf8' });
  const pid = Number(/^process_id:(\d+)/m.exec(info('server'))?.[1]);
  if (!pid) throw new Error('redis-server pid not found in INFO server');
  return {
    sample() {
      let scriptCalls = 0;
      for (const m of info('commandstats').matchAll(/^cmdstat_eval(?:sha)?:calls=(\d+)/gm))
        scriptCalls += Number(m[1]);
      return { cpu: cpuSeconds(pid), scriptCalls };
    },
  };
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
