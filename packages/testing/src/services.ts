import fs from 'node:fs';
import path from 'node:path';
import { freePort, startNodeProcess, tempDir, type RunningProcess } from './processes';

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

/** The `SERVICE_CLIENT_SECRET` every auth service and internal service a test starts shares, so a
 * service under test takes its own token from the auth service of the suite (ADR 0019). */
export const TEST_SERVICE_CLIENT_SECRET = 'aegis-test-service-client-secret';

/** A loopback URL this run picked and nothing listens on: where a suite sends what it did not start. */
export async function closedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/**
 * Starts `<dir>/dist/main.js` (default dir `services/<name>`, built by `npm run build`) with PORT and
 * ADMIN_PORT on free loopback ports, and waits until `/ready` answers. A port taken by a parallel
 * suite between picking and binding is retried with new ports rather than failing the suite.
 *
 * Hermetic by default: the neighbours a process would find at their well-known ports (`AUTH_URL`,
 * `KNOWLEDGE_GRAPH_URL`, `FLARING_MONITOR_URL`) point at a closed loopback port, and its local data (`AEGIS_DATA_DIR`) is a
 * temporary directory removed on stop, so a developer's `npm start` is never reached nor shared;
 * `env` names the servers the suite started. Every process gets `SERVICE_CLIENT_SECRET` =
 * TEST_SERVICE_CLIENT_SECRET (auth accepts it, services present it) unless `env` says otherwise.
 */
export async function startService(options: {
  name: string;
  dir?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Listen on these ports (a restart where the gateway expects the process) instead of free ones. */
  ports?: { port: number; adminPort: number };
}): Promise<RunningService> {
  const entry = path.posix.join(options.dir ?? `services/${options.name}`, 'dist', 'main.js');
  const down = await closedUrl();
  const dataDir = tempDir(`${options.name}-data`);
  const removeData = () => fs.rmSync(dataDir, { recursive: true, force: true });
  const hermetic = {
    AUTH_URL: down,
    KNOWLEDGE_GRAPH_URL: down,
    FLARING_MONITOR_URL: down,
    AEGIS_DATA_DIR: dataDir,
    SERVICE_CLIENT_SECRET: TEST_SERVICE_CLIENT_SECRET,
  };
  for (let attempt = 1; ; attempt += 1) {
    const [port, adminPort] = options.ports
      ? [options.ports.port, options.ports.adminPort]
      : [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    try {
      const proc = await startNodeProcess({
        name: options.name,
        entry,
        env: { ...hermetic, PORT: String(port), ADMIN_PORT: String(adminPort), ...options.env },
        readyUrl: `${url}/ready`,
        timeoutMs: options.timeoutMs,
      });
      return {
        name: options.name,
        url,
        adminUrl: `http://127.0.0.1:${adminPort}`,
        process: proc,
        async stop() {
          await proc.stop();
          removeData();
        },
      };
    } catch (err) {
      if (attempt >= 3 || options.ports || !/EADDRINUSE/.test((err as Error).message)) {
        removeData();
        throw err;
      }
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
  options: {
    dataDir: string;
    authUrl: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    ports?: { port: number; adminPort: number };
  },
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
    ports: options.ports,
  });
}
