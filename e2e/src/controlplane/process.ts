import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A control-plane process the harness started. */
export interface ManagedProcess {
  name: string;
  pid: number;
  binary: string;
  args: string[];
  logFile: string;
  /** Exit code or signal once the process ended (only known for processes this Node process spawned). */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/** Children spawned attached to this Node process; killed on exit so no test leaves one behind. */
const attached = new Set<number>();
process.on('exit', () => {
  for (const pid of attached) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export interface StartOptions {
  name: string;
  binary: string;
  args: string[];
  logFile: string;
  /** Detached processes outlive this Node process (npm run cluster:up); attached ones do not. */
  detached?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Starts a binary with stdout and stderr appended to its log file. */
export function startProcess({
  name,
  binary,
  args,
  logFile,
  detached = false,
  env,
}: StartOptions): ManagedProcess {
  const fd = fs.openSync(logFile, 'a');
  try {
    fs.writeSync(fd, `# ${new Date().toISOString()} ${binary} ${args.join(' ')}\n`);
    const child = spawn(binary, args, { stdio: ['ignore', fd, fd], detached, env: env ?? process.env });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${binary}`);
    const managed: ManagedProcess = { name, pid: child.pid, binary, args, logFile };
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      managed.exit = { code, signal };
      attached.delete(managed.pid);
    });
    if (detached) child.unref();
    else attached.add(child.pid);
    return managed;
  } finally {
    fs.closeSync(fd);
  }
}

/** True while `pid` is a live (not zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True when `pid` runs `binary` (guards against signalling a reused PID). */
export function runsBinary(pid: number, binary: string): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return argv0 === binary;
  } catch {
    return false;
  }
}

/**
 * Stops one process by PID: SIGTERM, then SIGKILL after `graceMs`, and waits until it is gone.
 * A PID that no longer runs `binary` is left alone.
 */
export async function stopPid(pid: number, binary: string, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid) || !runsBinary(pid, binary)) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const termDeadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < termDeadline) await sleep(100);
  if (!isAlive(pid)) return;
  signal('SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < killDeadline) await sleep(100);
  if (isAlive(pid)) throw new Error(`process ${pid} (${binary}) did not stop`);
}

/** The last lines of a log file, for error messages. */
export function logTail(logFile: string, lines = 30): string {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
