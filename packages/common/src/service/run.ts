import http from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { createRevocationChecker, type RevocationChecker } from '../auth/revocation';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier';
import { ConfigError } from '../config/load';
import type { ServiceLifecycle } from '../http/lifecycle';
import { createAdminServer, type HttpMetrics } from '../http/metrics';

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

/** The `.catch` of a service's main(): a start-up failure is printed once and the process exits 1. */
export function exitOnStartupFailure(service: string): (err: unknown) => never {
  return (err) => {
    process.stderr.write(
      `${service}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  };
}

export interface VerifierSettings {
  jwksUrl: string;
  revocationsUrl: string;
  revocationPollMs: number;
}

/** Token verification against the auth service's JWKS and revocation feed (defence in depth: every
 * service verifies the forwarded token itself). */
export function createServiceVerifier(
  settings: VerifierSettings,
  logger: Logger,
): { verifier: TokenVerifier; revocation: RevocationChecker; close(this: void): void } {
  const revocation = createRevocationChecker({
    url: settings.revocationsUrl,
    pollIntervalMs: settings.revocationPollMs,
    logger,
  });
  const verifier = createTokenVerifier({ jwksUrl: settings.jwksUrl, revocation, logger });
  return {
    verifier,
    revocation,
    close() {
      verifier.close();
      revocation.close();
    },
  };
}

export interface ServeOptions {
  app: Koa;
  lifecycle: ServiceLifecycle;
  metrics: HttpMetrics;
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
