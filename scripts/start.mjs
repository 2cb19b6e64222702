#!/usr/bin/env node
// Runs the whole platform on this machine with the embedded defaults: every implemented service of the
// service registry (@aegis/common) on its port, then the gateway on :8000. Ctrl-C stops everything.
// `--list` prints what it would start, in order, with each service's store, and exits (nothing is bound).
// Local data goes to AEGIS_DATA_DIR (default .data/ in the repository); a DATABASE_URL wins over it.
// SERVICE_CLIENT_SECRET (the internal services' client-credentials secret, ADR 0019) is random per run
// unless set, and given to auth and every service, never to the gateway.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import registry from '../packages/common/dist/registry/index.js';
import serviceKitEnv from '../packages/common/dist/service/env.js';
import configLoad from '../packages/common/dist/config/load.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const { GATEWAY, implementedServices } = registry;
// auth first (every service verifies tokens against it), then the other services, then the gateway.
const services = implementedServices();
const groups = [
  services.filter((s) => s.name === 'auth'),
  services.filter((s) => s.name !== 'auth'),
  [GATEWAY],
];
const components = groups.flat();

// What each service makes of this environment, computed by the service kit's own schema (so the plan
// and the services agree): its store, and the data directory.
function serviceSettings(c) {
  try {
    return serviceKitEnv.serviceSettings(
      configLoad.loadEnv(serviceKitEnv.serviceEnvSchema(c.name, c), process.env),
    );
  } catch (err) {
    process.stderr.write(`[start] ${c.name}: ${err.message}\n`);
    process.exit(2);
  }
}
const settings = new Map(services.map((c) => [c.name, serviceSettings(c)]));
const dataDir = path.resolve(root, settings.get('auth')?.dataDir ?? serviceKitEnv.DEFAULT_DATA_DIR);

if (process.argv.includes('--list')) {
  for (const c of components) {
    const store = settings.get(c.name)?.databaseUrl;
    process.stdout.write(`${c.name} ${c.port} ${c.adminPort} ${c.entry}${store ? ` ${store}` : ''}\n`);
  }
  process.exit(0);
}
const missing = components.filter((c) => !fs.existsSync(path.join(root, c.entry)));
if (missing.length > 0) {
  process.stderr.write(`[start] not built: ${missing.map((c) => c.entry).join(', ')} (run npm run build)\n`);
  process.exit(1);
}

// One secret per run, shared by auth (which checks it) and the services (which present it).
const serviceClientSecret = process.env.SERVICE_CLIENT_SECRET || randomBytes(32).toString('base64url');

const children = new Map();
let stopping = false;

function prefixLines(name, stream, out) {
  let partial = '';
  stream.on('data', (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) out.write(`[${name}] ${line}\n`);
  });
}

function launch(c) {
  const child = spawn(process.execPath, [c.entry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(c.port),
      ADMIN_PORT: String(c.adminPort),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...(c === GATEWAY ? {} : { SERVICE_CLIENT_SECRET: serviceClientSecret }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(c.name, child);
  prefixLines(c.name, child.stdout, process.stdout);
  prefixLines(c.name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(c.name);
    if (!stopping) {
      process.stderr.write(`[start] ${c.name} exited (${signal ?? code}); stopping the platform\n`);
      stop(1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code);
  }, 30_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitHealthy(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return true;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

// Each group once the one before answers /ready, so no request and no token check finds a neighbour
// missing.
async function launchAndWait(group) {
  group.forEach(launch);
  const ready = await Promise.all(group.map((c) => waitHealthy(`http://127.0.0.1:${c.port}/ready`, 30_000)));
  group.forEach((c, i) => {
    if (!ready[i] && !stopping) process.stderr.write(`[start] ${c.name} is not ready after 30 s; going on\n`);
  });
}
await launchAndWait(groups[0]);
if (!stopping) await launchAndWait(groups[1]);
if (!stopping) launch(GATEWAY);
const ok = await waitHealthy(`http://127.0.0.1:${GATEWAY.port}/ready`, 30_000);
if (ok) {
  process.stdout.write(
    [
      '',
      'AEGIS is running:',
      `  API:      http://localhost:${GATEWAY.port}/api/v1   (services: ${services.map((c) => c.name).join(', ')})`,
      `  Health:   http://localhost:${GATEWAY.port}/health`,
      `  Metrics:  http://localhost:${GATEWAY.adminPort}/metrics (gateway admin port)`,
      `  Data:     ${dataDir}   (AEGIS_DATA_DIR; a DATABASE_URL wins)`,
      `  Login:    ${process.env.BOOTSTRAP_ADMIN_EMAIL ?? 'admin@aegis.local'} / ${
        process.env.BOOTSTRAP_ADMIN_PASSWORD ? '(BOOTSTRAP_ADMIN_PASSWORD)' : 'aegis-dev-admin'
      }   (local only)`,
      '  Stop:     Ctrl-C',
      '',
    ].join('\n') + '\n',
  );
} else if (!stopping) {
  process.stderr.write('[start] the gateway did not become ready within 30 s; see the logs above\n');
}
