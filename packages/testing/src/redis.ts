import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeIf, findBinary } from './skip';
import { freePort } from './processes';

/** Where redis-server lives here: AEGIS_REDIS_SERVER, else PATH (CI installs the Debian package). */
export function redisServerBinary(): string | undefined {
  const configured = process.env.AEGIS_REDIS_SERVER;
  if (configured) return fs.existsSync(configured) ? configured : undefined;
  return findBinary('redis-server', ['/usr/bin', '/usr/sbin', '/usr/local/bin']);
}

/** For describeIf: `const r = redisAvailability(); describeIf(r.available, 'redis-server', r.reason)`. */
export function redisAvailability(): { available: boolean; reason: string } {
  const binary = redisServerBinary();
  return binary
    ? { available: true, reason: `found ${binary}` }
    : {
        available: false,
        reason: process.env.AEGIS_REDIS_SERVER
          ? `AEGIS_REDIS_SERVER=${process.env.AEGIS_REDIS_SERVER} does not exist`
          : 'redis-server not found on PATH (apt-get install redis-server, or set AEGIS_REDIS_SERVER)',
      };
}

/** `describe` when redis-server is here; otherwise skipped with the reason (failing under
 * AEGIS_REQUIRE_ALL=1). */
export function describeIfRedis(): jest.Describe {
  const redis = redisAvailability();
  return describeIf(redis.available, 'redis-server', redis.reason);
}

export interface RedisServer {
  url: string;
  port: number;
  /** Freezes the server process (SIGSTOP): connections stay open but nothing is answered. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** Kills the server process (SIGKILL): connections drop, the port refuses. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (after kill()); data is not kept. */
  restart(): Promise<void>;
  /** Stops the server for good and removes its temp dir. */
  stop(): Promise<void>;
}

/** One PING over a raw socket; true on +PONG. */
function ping(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port with no persistence, in a temp dir, and waits until it
 * answers PING (at most `startTimeoutMs`, default 15 s). The caller must call stop().
 */
export async function startRedis(options: { startTimeoutMs?: number } = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  if (!binary) throw new Error(redisAvailability().reason);
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  async function launch(): Promise<void> {
    output = '';
    const proc = spawn(
      binary!,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) break;
      if (await ping(port, 500)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    await exited(proc);
    throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  }

  async function killChild(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGCONT');
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited(proc);
    clearTimeout(timer);
  }

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pause: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
    kill: () => killChild('SIGKILL'),
    async restart(): Promise<void> {
      await killChild('SIGKILL');
      await launch();
    },
    async stop(): Promise<void> {
      await killChild('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Defines `title` against a redis-server started for it (skipped with the reason when redis-server is
 * missing, failing under AEGIS_REQUIRE_ALL=1); `body` gets the server lazily. The server starts
 * before the body's `beforeAll` hooks and stops after its `afterAll` hooks. */
export function describeWithRedis(title: string, body: (redis: () => RedisServer) => void): void {
  describeIfRedis()(title, () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedis();
    });
    body(() => server!);
    afterAll(async () => {
      await server?.stop();
    });
  });
}
