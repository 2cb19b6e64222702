import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const AUTH_MAIN = path.join(REPO, 'services', 'auth', 'dist', 'main.js');
export const AUTH_CLI = path.join(REPO, 'services', 'auth', 'dist', 'cli.js');

/** Compiles the auth service (incremental; a no-op after `npm run build`). */
export function buildAuth(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-b',
        path.join(REPO, 'services', 'auth'),
      ],
      { cwd: REPO, timeout: 240_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`tsc -b services/auth failed:\n${stdout}${stderr}`)) : resolve(),
    );
  });
}

export interface AuthProcess {
  url: string;
  adminUrl: string;
  child: ChildProcess;
  logs: string[];
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node services/auth/dist/main.js` with PORT=0/ADMIN_PORT=0 and reads the bound ports from its log. */
export function startAuthProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<AuthProcess> {
  const child = spawn(process.execPath, [AUTH_MAIN], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ADMIN_PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const ports: Record<string, number> = {};
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`auth did not start within ${timeoutMs} ms:\n${logs.join('\n')}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; server?: string; port?: number };
          if (entry.msg === 'Started listening' && entry.server && entry.port)
            ports[entry.server] = entry.port;
        } catch {
          // not JSON
        }
        if (ports.http && ports.admin) {
          clearTimeout(timer);
          resolve({
            url: `http://127.0.0.1:${ports.http}`,
            adminUrl: `http://127.0.0.1:${ports.admin}`,
            child,
            logs,
            stop,
          });
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`auth exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
}

/** Runs `node services/auth/dist/cli.js ...` and resolves its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AUTH_CLI, ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
