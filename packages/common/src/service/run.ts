import http from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/verifier';
import { ConfigError } from '../config/load';
import { createLifecycle, type ServiceLifecycle } from '../http/lifecycle';
import { createAdminServer, createMetrics, type HttpMetrics } from '../http/metrics';
import type { ServiceState } from '../http/state';
import { createLogger } from '../log/logger';
import { openStore } from '../store/open';
import type { Store } from '../store/types';
import type { ServiceSettings } from './env';
import { createServiceVerifier, hasVerifierSettings, type VerifierSettings } from './verifier';

/** Loads the configuration or stops the process before anything starts, naming the bad variable. */
export function loadConfigOrExit<C>(
  service: string,
  load: (env: NodeJS.ProcessEnv) => C,
  env: NodeJS.ProcessEnv,
): C {
  try {
    return load(env);
  } catch (err) {
    process.stderr.write(`${service}: ${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

/** The `.catch` of a main(): a start-up failure is printed once and the process exits 1. */
export function exitOnStartupFailure(service: string): (err: unknown) => never {
  return (err) => {
    process.stderr.write(
      `${service}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  };
}

export interface ServeOptions {
  app: Pick<Koa, 'callback'>;
  lifecycle: ServiceLifecycle;
  metrics: Pick<HttpMetrics, 'registry'>;
  host: string;
  port: number;
  adminPort: number;
  /** Node's whole-request timeout (default 300 s); 0 for services that stream long uploads. */
  requestTimeoutMs?: number;
}

/** Listens on the service port (requests tracked for draining) and on the admin port (metrics),
 * with SIGTERM/SIGINT draining. */
export async function serveService(options: ServeOptions): Promise<void> {
  const handle = options.app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  if (options.requestTimeoutMs !== undefined) server.requestTimeout = options.requestTimeoutMs;
  options.lifecycle.track(server);
  const admin = createAdminServer({ registry: options.metrics.registry });
  options.lifecycle.handleSignals();
  await options.lifecycle.listen({ server, port: options.port, host: options.host, name: 'http' });
  await options.lifecycle.listen({
    server: admin,
    port: options.adminPort,
    host: options.host,
    name: 'admin',
  });
}

/** What `build` receives: everything the kit set up, and hooks for what the service adds. */
export interface ServiceKit<C extends ServiceSettings> {
  name: string;
  /** The parsed, frozen configuration. */
  config: C;
  logger: Logger;
  /** The open, migrated store. */
  store: Store;
  /** The service's registry and RED metrics; register extra metrics on `metrics.registry`. */
  metrics: HttpMetrics;
  /** Verifies forwarded tokens against the auth service: present when the configuration carries
   * `VerifierSettings` (`authClientEnv` / `authClientSettings`). */
  verifier: C extends VerifierSettings ? TokenVerifier : undefined;
  /** True from the first shutdown signal on (readiness answers 503). */
  isDraining: () => boolean;
  /** Runs after the servers closed, before the store closes (latest registered first). */
  onClose(cleanup: () => void | Promise<void>): void;
  /** Runs `task` every `intervalMs` until shutdown (never keeps the process alive); a failure is
   * logged with `task: name` and the next run still happens. */
  every(name: string, intervalMs: number, task: () => Promise<void>): void;
}

export interface RunServiceOptions<C extends ServiceSettings> {
  /** The service name: logs, metrics, /health, migrations. */
  name: string;
  /** Parses the environment (a ConfigError names the variable; the process exits 1). */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  /** Applied to the store before `build` runs. */
  migrations: Parameters<Store['migrate']>[1];
  /** SQLite: the page size of the store's file when this creates it (default SQLite's 4096). */
  sqlitePageSize?: number;
  /** Builds the service's app (usually `createApp(...)` over `createServiceApp`); may do start-up
   * work first (keys, seed data) and register extra metrics, cleanup and background tasks. */
  build: (kit: ServiceKit<C>) => Koa<ServiceState> | Promise<Koa<ServiceState>>;
  /** Node's whole-request timeout (default 300 s); 0 for services that stream long uploads. */
  requestTimeoutMs?: number;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A service's whole start-up: configuration (exit 1 naming a bad variable), logger, store and
 * migrations, metrics, token verifier, the app from `build`, then the service and admin ports with
 * SIGTERM/SIGINT draining and cleanup. A start-up failure is printed and the process exits 1.
 */
export async function runService<C extends ServiceSettings>(options: RunServiceOptions<C>): Promise<void> {
  const { name } = options;
  const config = loadConfigOrExit(name, options.loadConfig, options.env ?? process.env);
  try {
    await start(options, config);
  } catch (err) {
    exitOnStartupFailure(name)(err);
  }
}

async function start<C extends ServiceSettings>(options: RunServiceOptions<C>, config: C): Promise<void> {
  const { name } = options;
  const logger = createLogger({ service: name, level: config.logLevel });
  const cleanups: (() => void | Promise<void>)[] = [];
  const timers: NodeJS.Timeout[] = [];
  const store = await openStore({ url: config.databaseUrl, logger, sqlitePageSize: options.sqlitePageSize });
  await store.migrate(name, options.migrations);

  const metrics = createMetrics(name);
  let verifier: TokenVerifier | undefined;
  if (hasVerifierSettings(config)) {
    const remote = createServiceVerifier(config, logger);
    verifier = remote.verifier;
    cleanups.push(remote.close);
  }
  const lifecycle = createLifecycle({
    logger,
    drainTimeoutMs: config.drainTimeoutMs,
    exit: true,
    cleanup: async () => {
      timers.forEach(clearInterval);
      for (const cleanup of cleanups.reverse()) await cleanup();
      await store.close();
    },
  });
  const kit: ServiceKit<C> = {
    name,
    config,
    logger,
    store,
    metrics,
    verifier: verifier as ServiceKit<C>['verifier'],
    isDraining: () => lifecycle.draining,
    onClose: (cleanup) => void cleanups.push(cleanup),
    every(task, intervalMs, run) {
      const timer = setInterval(() => {
        run().catch((err: unknown) => logger.error({ err, task }, 'Failed background task'));
      }, intervalMs);
      timer.unref();
      timers.push(timer);
    },
  };
  const app = await options.build(kit);
  await serveService({
    app,
    lifecycle,
    metrics,
    host: config.host,
    port: config.port,
    adminPort: config.adminPort,
    requestTimeoutMs: options.requestTimeoutMs,
  });
}
