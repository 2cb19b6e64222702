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

/** Whether process `pid` holds a listening TCP socket on `port` (from /proc on Linux: the socket
 * inodes listening on the port, against the process's open descriptors); `undefined` where /proc
 * cannot tell. */
export function listensOn(pid: number, port: number): boolean | undefined {
  const inodes = new Set<string>();
  let read = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    read = true;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue; // 0A: LISTEN
      if (parseInt(f[1].slice(f[1].lastIndexOf(':') + 1), 16) === port) inodes.add(f[9]);
    }
  }
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  if (!read) return undefined;
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1])) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
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
    const readyPort = Number(new URL(options.readyUrl).port);
    try {
      await waitFor(
        `${options.name} at ${options.readyUrl}`,
        async () => {
          if (hasExited) throw new Error(`${options.name} exited (${exitCode}): ${out.slice(-2000)}`);
          const res = await fetch(options.readyUrl!, { signal: AbortSignal.timeout(1000) });
          // Another process may have taken the port between freePort() and this one's bind, and
          // answer /ready itself: ready means this process holds the port (it then exits with
          // EADDRINUSE, which the probe reports and a caller may retry on).
          return res.ok && child.pid !== undefined && listensOn(child.pid, readyPort) !== false;
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
