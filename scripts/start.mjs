#!/usr/bin/env node
// Runs the whole platform on this machine with the embedded defaults: every service that exists in
// the workspace on its documented port, then the gateway on :8000. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const components = [
  { name: 'auth', entry: 'services/auth/dist/main.js', port: 8009 },
  { name: 'orchestration', entry: 'services/orchestration/dist/main.js', port: 8001 },
  { name: 'memory', entry: 'services/memory/dist/main.js', port: 8002 },
  { name: 'knowledge-graph', entry: 'services/knowledge-graph/dist/main.js', port: 8003 },
  { name: 'approvals', entry: 'services/approvals/dist/main.js', port: 8004 },
  { name: 'ingestion', entry: 'services/ingestion/dist/main.js', port: 8005 },
  { name: 'compliance-monitor', entry: 'services/compliance-monitor/dist/main.js', port: 8006 },
  { name: 'flaring-monitor', entry: 'services/flaring-monitor/dist/main.js', port: 8007 },
  { name: 'gateway', entry: 'gateway/dist/main.js', port: 8000 },
].filter((c) => fs.existsSync(path.join(root, c.entry)));

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
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
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

// auth first (every service verifies tokens against it), then the other services, then the gateway
// once they answer /ready, so no request and no token check finds a neighbour missing.
async function launchAndWait(group) {
  group.forEach(launch);
  const ready = await Promise.all(group.map((c) => waitHealthy(`http://127.0.0.1:${c.port}/ready`, 30_000)));
  group.forEach((c, i) => {
    if (!ready[i] && !stopping) process.stderr.write(`[start] ${c.name} is not ready after 30 s; going on\n`);
  });
}
await launchAndWait(components.filter((c) => c.name === 'auth'));
if (!stopping) await launchAndWait(components.filter((c) => c.name !== 'auth' && c.name !== 'gateway'));
const gateway = components.find((c) => c.name === 'gateway');
if (gateway && !stopping) launch(gateway);
const ok = await waitHealthy('http://127.0.0.1:8000/ready', 30_000);
if (ok) {
  process.stdout.write(
    [
      '',
      'AEGIS is running:',
      `  API:      http://localhost:8000/api/v1   (services: ${components.map((c) => c.name).join(', ')})`,
      '  Health:   http://localhost:8000/health',
      '  Metrics:  http://localhost:9000/metrics (gateway admin port)',
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
