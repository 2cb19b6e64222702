import { execFile, execFileSync, type ExecFileOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, sql } from '@aegis/common';
import { describeIf, findBinary } from './skip';
import { freePort } from './processes';

/** A throwaway PostgreSQL server for tests: loopback only, temp dir, stopped and removed by stop(). */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/aegis` (trust auth, loopback only). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface Runner {
  /** Unprivileged account the server runs as when the tests run as root. */
  user?: { name: string; uid: number; gid: number };
  binDir: string;
}

/** Debian installs the server binaries outside PATH: /usr/lib/postgresql/<major>/bin, newest first. */
function versionedBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  try {
    return fs
      .readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => path.join(root, v, 'bin'));
  } catch {
    return [];
  }
}

/** initdb, pg_ctl and postgres from one directory, so their versions match. */
function findBinDir(): string | { missing: string } {
  const candidates = [findBinary('initdb'), ...versionedBinDirs().map((d) => path.join(d, 'initdb'))];
  for (const initdb of candidates) {
    if (!initdb) continue;
    let dir: string;
    try {
      dir = path.dirname(fs.realpathSync(initdb));
    } catch {
      continue;
    }
    const complete = ['initdb', 'pg_ctl', 'postgres'].every((b) => {
      try {
        fs.accessSync(path.join(dir, b), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (complete) return dir;
  }
  return {
    missing:
      'initdb/pg_ctl/postgres not found on PATH or in /usr/lib/postgresql/*/bin (install the Debian postgresql package)',
  };
}

function lookupUser(name: string): { name: string; uid: number; gid: number } | undefined {
  try {
    const uid = Number(
      execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    if (Number.isInteger(uid) && Number.isInteger(gid) && uid !== 0) return { name, uid, gid };
  } catch {
    // no such user
  }
  return undefined;
}

function resolveRunner(): Runner | { reason: string } {
  const binDir = findBinDir();
  if (typeof binDir !== 'string') return { reason: binDir.missing };
  if (process.getuid?.() !== 0) return { binDir };
  // initdb and postgres refuse to run as root: use the Debian `postgres` account, else `nobody`.
  const user = lookupUser('postgres') ?? lookupUser('nobody');
  if (!user) return { reason: 'running as root and neither a `postgres` nor a `nobody` user exists' };
  return { binDir, user };
}

/** Whether startPostgres() can work here, for describeIf. */
export function postgresAvailability(): { available: boolean; reason?: string } {
  const runner = resolveRunner();
  return 'reason' in runner ? { available: false, reason: runner.reason } : { available: true };
}

/** `describe` when a PostgreSQL server can be started here; otherwise skipped with the reason (failing
 * under AEGIS_REQUIRE_ALL=1). */
export function describeIfPostgres(): jest.Describe {
  const pg = postgresAvailability();
  return describeIf(pg.available, 'PostgreSQL server binaries', pg.reason ?? '');
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  return { ...env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}

function runAs(runner: Runner, binary: string, args: string[], cwd: string): Promise<string> {
  const options: ExecFileOptions = { cwd, env: cleanEnv(), timeout: 120_000, encoding: 'utf8' };
  // libuv drops root's supplementary groups when uid/gid are set.
  if (runner.user) Object.assign(options, { uid: runner.user.uid, gid: runner.user.gid });
  return new Promise((resolve, reject) => {
    execFile(path.join(runner.binDir, binary), args, options, (err, stdout, stderr) => {
      if (err) reject(new Error(`${binary} ${args.join(' ')} failed: ${err.message}\n${String(stderr)}`));
      else resolve(String(stdout));
    });
  });
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Starts a PostgreSQL server from the machine's binaries in a fresh temp dir, on a free loopback port
 * (unix socket in the temp dir, fsync off), creates the database `aegis` and returns its URL.
 * Throws when the binaries are missing: check postgresAvailability() first.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const runner = resolveRunner();
  if ('reason' in runner) throw new Error(`PostgreSQL unavailable: ${runner.reason}`);
  // As root the unprivileged server account must reach the dir: /tmp is world-traversable.
  const base = runner.user ? '/tmp' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'aegis-pg-'));
  if (runner.user) fs.chownSync(dir, runner.user.uid, runner.user.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  let running = false;

  const stopSync = () => {
    if (running) {
      running = false;
      try {
        execFileSync(path.join(runner.binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], {
          cwd: dir,
          env: cleanEnv(),
          stdio: 'ignore',
          timeout: 30_000,
          ...(runner.user ? { uid: runner.user.uid, gid: runner.user.gid } : {}),
        });
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Safety net: a test run that dies without calling stop() does not leave a server behind.
  process.once('exit', stopSync);

  try {
    await runAs(
      runner,
      'initdb',
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N'],
      dir,
    );
    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories='${dir}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=50',
        '-c shared_buffers=16MB',
      ].join(' ');
      try {
        await runAs(
          runner,
          'pg_ctl',
          ['-D', data, '-l', log, '-w', '-t', '60', '-s', '-o', serverOptions, 'start'],
          dir,
        );
        running = true;
        break;
      } catch (err) {
        // Another process may have taken the port between freePort() and the bind: try another.
        if (attempt >= 3) throw new Error(`${(err as Error).message}\n${logTail(log)}`);
      }
    }
    const admin = await openStore({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, poolSize: 1 });
    try {
      await sql`CREATE DATABASE aegis`.execute(admin.db);
    } finally {
      await admin.close();
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/aegis`,
      port,
      stop: async () => {
        process.removeListener('exit', stopSync);
        if (running) {
          running = false;
          await runAs(runner, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir).catch(
            () => undefined,
          );
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw err;
  }
}

/** Defines `title` against a throwaway PostgreSQL server started for it (skipped with the reason when
 * the binaries are missing, failing under AEGIS_REQUIRE_ALL=1); `body` gets the server's URL lazily.
 * The server starts before the body's `beforeAll` hooks and stops after its `afterAll` hooks, so the
 * body closes its stores while the server still answers. */
export function describeWithPostgres(title: string, body: (url: () => string) => void): void {
  describeIfPostgres()(title, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    body(() => server!.url);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);
  });
}

/** Defines a store suite twice: on a SQLite file in a temp dir and on a throwaway PostgreSQL server. */
export function describeOnBothStores(title: string, dbFile: string, body: (url: () => string) => void): void {
  describe(`${title} on SQLite (file in a temp dir)`, () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-store-'));
    });
    body(() => `sqlite:${path.join(dir, dbFile)}`);
    afterAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
  describeWithPostgres(`${title} on PostgreSQL (throwaway server)`, body);
}
