import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The repository root (this file is packages/testing/src/processes.ts). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A free TCP port on loopback (the OS picks it; the tiny race is acceptable for tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** True once the process has exited. */
  exited(): boolean;
  exitCode(): number | null;
  /** Sends SIGTERM and waits for exit (SIGKILL after the grace period). */
  stop(graceMs?: number): Promise<void>;
  signal(sig: NodeJS.Signals): void;
}

const running = new Set<RunningProcess>();
process.once('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});

/** Starts `node <entry>` (a built dist file) with env, and waits until `readyUrl` answers 2xx. */
export async function startNodeProcess(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyUrl?: string;
  timeoutMs?: number;
  /** `node` runs built JavaScript (default); `tsx` runs a TypeScript file directly (bench tools). */
  runner?: 'node' | 'tsx';
}): Promise<RunningProcess> {
  const entry = path.join(repoRoot, options.entry);
  if (!fs.existsSync(entry)) throw new Error(`${options.entry} is not built: run \`npm run build\` first`);
  // tsx as a loader inside this node process (not its CLI, which forks), so the pid is the server's.
  const args = options.runner === 'tsx' ? ['--import', 'tsx', entry] : [entry];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let exitCode: number | null = null;
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      hasExited = true;
      resolve();
    }),
  );
  const proc: RunningProcess = {
    name: options.name,
    child,
    output: () => out,
    exited: () => hasExited,
    exitCode: () => exitCode,
    signal: (sig) => child.kill(sig),
    async stop(graceMs = 10_000) {
      running.delete(proc);
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  if (options.readyUrl) {
    try {
      await waitFor(
        `${options.name} at ${options.readyUrl}`,
        async () => {
          if (hasExited) throw new Error(`${options.name} exited (${exitCode}): ${out.slice(-2000)}`);
          const res = await fetch(options.readyUrl!, { signal: AbortSignal.timeout(1000) });
          return res.ok;
        },
        options.timeoutMs ?? 20_000,
      );
    } catch (err) {
      await proc.stop();
      throw new Error(`${(err as Error).message}\n--- ${options.name} output ---\n${out.slice(-3000)}`);
    }
  }
  return proc;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aegis-${prefix}-`));
}

/** What a test started, to stop in reverse order: `started(x)` records x and returns it. */
export interface StartedSet {
  started<T extends { stop(): Promise<unknown> }>(thing: T): T;
  stopAll(): Promise<void>;
}

export function startedSet(): StartedSet {
  const things: { stop(): Promise<unknown> }[] = [];
  return {
    started(thing) {
      things.push(thing);
      return thing;
    },
    async stopAll() {
      for (const thing of things.splice(0).reverse()) await thing.stop();
    },
  };
}
