import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface Lifecycle {
  /** True from the first shutdown signal on: readiness answers 503. */
  readonly draining: boolean;
  /** Requests currently being handled. */
  readonly inFlight: number;
  /** Starts draining and resolves when every server has closed and cleanup has run. */
  shutdown(reason: string): Promise<void>;
}

export interface ListenSpec {
  server: http.Server;
  port: number;
  host: string;
  name: string;
}

export interface LifecycleOptions {
  logger: Logger;
  /** How long in-flight requests may take to finish before connections are cut. */
  drainTimeoutMs: number;
  /** After the signal, keep accepting (readiness already failing, responses asking clients to close
   * their connections) for this long, so load balancers stop sending before the listener closes. */
  shutdownDelayMs?: number;
  /** Called once when draining starts (stop accepting new streams, etc.). */
  onDrain?: () => void;
  /** Called after the servers closed: close stores, clients, timers. */
  cleanup?: () => Promise<void>;
  /** Exit the process when shutdown completes (main.ts: true; tests: false). */
  exit?: boolean;
}

/** Tracks in-flight requests on the main server and drains them on SIGTERM/SIGINT: readiness fails at
 * once, keep-alive connections are closed as soon as they are idle, in-flight requests finish. */
export function createLifecycle(options: LifecycleOptions): Lifecycle & {
  track(server: http.Server): void;
  listen(spec: ListenSpec): Promise<number>;
  handleSignals(): void;
} {
  let draining = false;
  let inFlight = 0;
  let shutdownPromise: Promise<void> | undefined;
  const servers: http.Server[] = [];

  const track = (server: http.Server) => {
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      inFlight += 1;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        inFlight -= 1;
      };
      res.once('finish', finish);
      res.once('close', finish);
      if (draining) res.setHeader('Connection', 'close');
      void req;
    });
  };

  const closeServer = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });

  const lifecycle = {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    track,
    async listen(spec: ListenSpec): Promise<number> {
      servers.push(spec.server);
      await new Promise<void>((resolve, reject) => {
        spec.server.once('error', reject);
        spec.server.listen(spec.port, spec.host, () => {
          spec.server.off('error', reject);
          resolve();
        });
      });
      const port = (spec.server.address() as AddressInfo).port;
      options.logger.info({ server: spec.name, host: spec.host, port }, 'Started listening');
      return port;
    },
    shutdown(reason: string): Promise<void> {
      if (shutdownPromise) return shutdownPromise;
      draining = true;
      options.logger.info({ reason, inFlight }, 'Started draining');
      options.onDrain?.();
      shutdownPromise = (async () => {
        if (options.shutdownDelayMs) await new Promise((r) => setTimeout(r, options.shutdownDelayMs));
        const closing = Promise.all(servers.map(closeServer));
        const idleSweep = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 50);
        const deadline = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), options.drainTimeoutMs).unref(),
        );
        const outcome = await Promise.race([closing.then(() => 'closed' as const), deadline]);
        clearInterval(idleSweep);
        if (outcome === 'timeout') {
          options.logger.warn({ inFlight }, 'Drain timed out; closed remaining connections');
          servers.forEach((s) => s.closeAllConnections());
          await closing;
        }
        try {
          await options.cleanup?.();
        } catch (err) {
          options.logger.error({ err }, 'Cleanup failed during shutdown');
        }
        options.logger.info({ reason }, 'Stopped');
        if (options.exit) {
          // Let pino flush before exiting.
          setTimeout(() => process.exit(0), 20);
        }
      })();
      return shutdownPromise;
    },
    handleSignals() {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void lifecycle.shutdown(signal));
      }
    },
  };
  return lifecycle;
}

export type ServiceLifecycle = ReturnType<typeof createLifecycle>;
