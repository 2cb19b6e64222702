import path from 'node:path';
import { freePort, startNodeProcess, type RunningProcess } from './processes';

/** A deployable of this repository running as a process from its build. */
export interface RunningService {
  name: string;
  /** `http://127.0.0.1:<PORT>` */
  url: string;
  /** `http://127.0.0.1:<ADMIN_PORT>` */
  adminUrl: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

/**
 * Starts `<dir>/dist/main.js` (default dir `services/<name>`, built by `npm run build`) with PORT and
 * ADMIN_PORT on free loopback ports, and waits until `/ready` answers. A port taken by a parallel
 * suite between picking and binding is retried with new ports rather than failing the suite.
 */
export async function startService(options: {
  name: string;
  dir?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunningService> {
  const entry = path.posix.join(options.dir ?? `services/${options.name}`, 'dist', 'main.js');
  for (let attempt = 1; ; attempt += 1) {
    const [port, adminPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    try {
      const proc = await startNodeProcess({
        name: options.name,
        entry,
        env: { PORT: String(port), ADMIN_PORT: String(adminPort), ...options.env },
        readyUrl: `${url}/ready`,
        timeoutMs: options.timeoutMs,
      });
      return {
        name: options.name,
        url,
        adminUrl: `http://127.0.0.1:${adminPort}`,
        process: proc,
        stop: () => proc.stop(),
      };
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

/** The auth service on a SQLite file in `dataDir` (cheap password hashing for tests); it bootstraps
 * the development admin `admin@aegis.local` / `aegis-dev-admin`. */
export function startAuthService(dataDir: string, env: Record<string, string> = {}): Promise<RunningService> {
  return startService({
    name: 'auth',
    env: { DATABASE_URL: `sqlite:${path.join(dataDir, 'auth.db')}`, SCRYPT_LOG_N: '12', ...env },
  });
}

/** A service as `npm start` runs it locally: on a SQLite file `<name>.db` in `dataDir`, verifying the
 * tokens of the auth service at `authUrl`; `env` adds or overrides settings. */
export function startLocalService(
  name: string,
  options: { dataDir: string; authUrl: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunningService> {
  return startService({
    name,
    env: {
      DATABASE_URL: `sqlite:${path.join(options.dataDir, `${name}.db`)}`,
      AUTH_URL: options.authUrl,
      REVOCATION_POLL_MS: '200',
      ...options.env,
    },
    timeoutMs: options.timeoutMs,
  });
}
