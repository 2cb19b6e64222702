import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { repoRoot, waitFor } from '@aegis/testing';

const FIXTURE = path.join(__dirname, 'kit-service.ts');
const TSX = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

/** Starts the fixture service; collects its stdout log lines and stderr. */
function start(env: Record<string, string>) {
  const child = spawn(TSX, [FIXTURE], {
    env: { PATH: process.env.PATH, PORT: '0', ADMIN_PORT: '0', DATABASE_URL: 'sqlite::memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, logs, exited, stderr: () => stderr };
}

/** Polls a synchronous probe (log lines collected so far) until it yields a value. */
const until = <T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> =>
  waitFor(what, () => Promise.resolve(probe()), timeoutMs);

describe('runService (a service process)', () => {
  it('exits 1 before listening on a bad value, naming the variable', async () => {
    const service = start({ LOG_LEVEL: 'loud' });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toMatch(/^kit-fixture: Invalid configuration:\n {2}LOG_LEVEL: /);
  }, 30_000);

  it('exits 1 when build fails, saying so', async () => {
    const service = start({ FAIL_BUILD: 'true' });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toContain('kit-fixture: failed to start: no signing key');
  }, 30_000);

  it('serves the app and metrics, runs background tasks, and drains on SIGTERM', async () => {
    const service = start({ TICK_MS: '20', AUTH_URL: 'http://127.0.0.1:9' });
    try {
      const port = (name: string) =>
        until(`the ${name} listener`, () => {
          const line = service.logs.find((l) => l.msg === 'Started listening' && l.server === name);
          return line ? Number(line.port) : undefined;
        });
      const http = await port('http');
      const admin = await port('admin');
      const res = await fetch(`http://127.0.0.1:${http}/notes/7`);
      expect(await res.json()).toEqual({ id: '7', verifies: true });
      expect((await fetch(`http://127.0.0.1:${http}/ready`)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text();
      expect(metrics).toMatch(
        /aegis_http_requests_total\{method="GET",route="GET \/notes\/\{id\}",status="200"/,
      );
      await until('a failed background task', () =>
        service.logs.find((l) => l.msg === 'Failed background task' && l.task === 'tick'),
      );
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['Closed fixture', 'Stopped']));
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 60_000);
});
