import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensureTools,
  freePort,
  repoRoot,
  startRedis,
  startTokenAuthority,
  waitFor,
  writeGatewayFiles,
} from '@aegis/testing';
import { profileMarkdown, readProfile, summarizeProfile } from './profile-summary';
import { HIGH, startBenchBackend } from './setup';
import { runWrk } from './wrk';

/**
 * Profiles the gateway under the benchmark's load: configuration B (JWT + in-memory limits)
 * or C (`PROFILE_LIMITER=redis`) runs with `node --cpu-prof`, wrk drives it as `npm run bench` does,
 * and the top frames by self time are written to `bench/results/<PROFILE_OUT>.md` (text only; the raw
 * profile stays in a temporary directory). `tsx bench/src/gateway/profile.ts` under the bench lock.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const OUT = process.env.PROFILE_OUT ?? 'gateway-profile';
const LIMITER = process.env.PROFILE_LIMITER === 'redis' ? 'redis' : 'memory';
/** `gateway` (B or C), or a reference proxy beside it: `raw` (E, the bare node:http proxy) or `core`
 * (F, the gateway's forwarding core alone). */
const TARGET = (['raw', 'core'] as const).find((t) => t === process.env.PROFILE_TARGET) ?? 'gateway';
const REFERENCE = { raw: 'bench/src/gateway/raw-proxy.ts', core: 'bench/src/gateway/forward-core.ts' };

async function main(): Promise<void> {
  ensureTools();
  const bench = await startBenchBackend();
  const backend = bench.process;
  const backendPort = bench.port;
  const authority = await startTokenAuthority();
  const redis = LIMITER === 'redis' ? await startRedis() : undefined;
  const token = await authority.sign({ tenant_id: 'default', user_id: 'bench', sub: 'bench' });
  const files = writeGatewayFiles({
    services: { orchestration: `http://127.0.0.1:${backendPort}` },
    routes: [{ prefix: '/api/v1/bench', service: 'orchestration' }],
    tenants: [{ name: 'default', spec: { rateLimit: HIGH } }],
  });
  const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-gw-prof-'));
  // `--cpu-prof` is not allowed in NODE_OPTIONS, so the gateway is spawned here with it.
  const [port, adminPort] = [await freePort(), await freePort()];
  const gwUrl = `http://127.0.0.1:${port}`;
  const entry =
    TARGET === 'gateway'
      ? [path.join(repoRoot, 'gateway', 'dist', 'main.js')]
      : ['--import', 'tsx', path.join(repoRoot, REFERENCE[TARGET])];
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...entry], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      ROUTES_FILE: files.routesFile,
      TENANTS_FILE: files.tenantsFile,
      JWKS_URL: authority.jwksUrl,
      REVOCATIONS_URL: authority.revocationsUrl,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      UPSTREAM_PORT: String(backendPort),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopGateway = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  await waitFor(TARGET, async () => (await fetch(`${gwUrl}/ready`)).status < 500);
  const load: { url: string; connections: number; headers: Record<string, string> } =
    TARGET === 'gateway'
      ? {
          url: `${gwUrl}/api/v1/bench/x`,
          connections: CONNECTIONS,
          headers: { authorization: `Bearer ${token}` },
        }
      : { url: `${gwUrl}/bench/x`, connections: CONNECTIONS, headers: {} };
  try {
    const warm = await runWrk({ ...load, durationSec: 2 });
    const r = await runWrk({ ...load, durationSec: SECONDS });
    console.log(`${Math.round(r.requestsPerSec)} req/s, ${r.requests} requests, non-2xx ${r.non2xx}`);
    await stopGateway();
    const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${profDir}`);
    // PROFILE_KEEP=<file>: keep the raw profile there (for a closer look; it is not committed).
    if (process.env.PROFILE_KEEP) fs.copyFileSync(path.join(profDir, file), process.env.PROFILE_KEEP);
    const summary = summarizeProfile(readProfile(path.join(profDir, file)));
    const md = `# Gateway CPU profile: ${OUT}

${new Date().toISOString()} · load ${fs.readFileSync('/proc/loadavg', 'utf8').trim()} · ${
      TARGET === 'raw'
        ? 'reference E (bare node:http proxy)'
        : TARGET === 'core'
          ? 'reference F (forwarding core alone)'
          : `gateway ${LIMITER === 'redis' ? 'C (Redis limits)' : 'B (in-memory limits)'}`
    }, wrk -c${CONNECTIONS} for ${SECONDS} s after a 2 s warm-up (both in the profile) →
${Math.round(r.requestsPerSec)} req/s measured.
Rerun: \`flock /tmp/aegis-bench.lock env PROFILE_OUT=${OUT}${TARGET === 'gateway' ? '' : ` PROFILE_TARGET=${TARGET}`}${LIMITER === 'redis' ? ' PROFILE_LIMITER=redis' : ''} npx tsx bench/src/gateway/profile.ts\`.

${profileMarkdown('Profile', summary, warm.requests + r.requests)}`;
    fs.writeFileSync(path.join(repoRoot, 'bench', 'results', `${OUT}.md`), md);
    console.log(md);
  } finally {
    await stopGateway();
    await backend.stop();
    await authority.close();
    await redis?.stop();
    fs.rmSync(profDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
