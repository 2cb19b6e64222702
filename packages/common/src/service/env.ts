import path from 'node:path';
import { z } from 'zod';
import { envInt, envLogLevel, envString } from '../config/load';
import { serviceByName } from '../registry/services';
import type { VerifierSettings } from './verifier';

/** A service's default listeners. */
export interface ServicePorts {
  port: number;
  adminPort: number;
}

/** Where local data goes when `AEGIS_DATA_DIR` is unset (relative to the working directory; `npm start`
 * runs in the repository root). */
export const DEFAULT_DATA_DIR = '.data';

/** The SQLite store of `service` in the data directory `dataDir`: `sqlite:<dataDir>/<service>.db`. */
export function localStoreUrl(dataDir: string, service: string): string {
  return `sqlite:${path.join(dataDir, `${service}.db`)}`;
}

/**
 * The variables every service reads. The default ports are the service's entry in the service
 * registry (or `ports`, for a service that is not in it, such as a test fixture). The store is
 * `DATABASE_URL` when set, else the service's SQLite file in `AEGIS_DATA_DIR` (default `.data`):
 * `sqlite:.data/<service>.db`. A service overrides the drain timeout or the body limit by extending
 * with its own `DRAIN_TIMEOUT_MS` / `BODY_LIMIT_BYTES`.
 */
export function serviceEnv(service: string, ports: ServicePorts = serviceByName(service)) {
  return {
    NODE_ENV: envString('development'),
    HOST: envString('127.0.0.1'),
    PORT: envInt(ports.port, 0, 65535),
    ADMIN_PORT: envInt(ports.adminPort, 0, 65535),
    /** The directory of every service's local data, and this service's store in it. */
    AEGIS_DATA_DIR: envString(DEFAULT_DATA_DIR).transform((dir) => ({
      dir,
      store: localStoreUrl(dir, service),
    })),
    /** Wins over AEGIS_DATA_DIR for this service's store. */
    DATABASE_URL: envString(''),
    LOG_LEVEL: envLogLevel(),
    /** How long in-flight requests may take to finish on SIGTERM. */
    DRAIN_TIMEOUT_MS: envInt(10_000, 0, 300_000),
    /** Largest JSON body. */
    BODY_LIMIT_BYTES: envInt(1024 * 1024, 1024, 64 * 1024 * 1024),
  };
}

/** A service's base environment schema, to `.extend` with its own variables and `.transform` into
 * its configuration with `serviceSettings(e)` spread first. */
export function serviceEnvSchema(service: string, ports?: ServicePorts) {
  return z.object(serviceEnv(service, ports));
}

export type ServiceEnv = z.output<ReturnType<typeof serviceEnvSchema>>;

/** The settings the service kit reads from every service's configuration. */
export interface ServiceSettings {
  nodeEnv: string;
  /** NODE_ENV=production: local-only conveniences (demo data, default passwords) are off. */
  production: boolean;
  host: string;
  port: number;
  adminPort: number;
  /** `AEGIS_DATA_DIR`: where local data goes. */
  dataDir: string;
  /** `DATABASE_URL`, else the service's SQLite file in the data directory. */
  databaseUrl: string;
  logLevel: z.output<ReturnType<typeof envLogLevel>>;
  drainTimeoutMs: number;
  bodyLimitBytes: number;
}

/** The camelCase form of the shared variables, for a service's `.transform`. */
export function serviceSettings(e: ServiceEnv): ServiceSettings {
  return {
    nodeEnv: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    adminPort: e.ADMIN_PORT,
    dataDir: e.AEGIS_DATA_DIR.dir,
    databaseUrl: e.DATABASE_URL || e.AEGIS_DATA_DIR.store,
    logLevel: e.LOG_LEVEL,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
  };
}

/** Where a service verifies tokens: the auth service's JWKS and revocation feed (or explicit URLs). */
export const authClientEnv = {
  AUTH_URL: envString('http://127.0.0.1:8009'),
  JWKS_URL: envString(''),
  REVOCATIONS_URL: envString(''),
  REVOCATION_POLL_MS: envInt(1000, 100, 60_000),
};

/** The environment of a service that reads the knowledge graph through its API: where (the registry's
 * local address by default) and how long a request may take. */
export const graphClientEnv = {
  KNOWLEDGE_GRAPH_URL: envString(`http://127.0.0.1:${serviceByName('knowledge-graph').port}`),
  KG_TIMEOUT_MS: envInt(30_000, 100, 600_000),
};

export interface GraphClientSettings {
  knowledgeGraphUrl: string;
  kgTimeoutMs: number;
}

export function graphClientSettings(e: {
  KNOWLEDGE_GRAPH_URL: string;
  KG_TIMEOUT_MS: number;
}): GraphClientSettings {
  return { knowledgeGraphUrl: e.KNOWLEDGE_GRAPH_URL.replace(/\/$/, ''), kgTimeoutMs: e.KG_TIMEOUT_MS };
}

export function authClientSettings(e: {
  AUTH_URL: string;
  JWKS_URL: string;
  REVOCATIONS_URL: string;
  REVOCATION_POLL_MS: number;
}): VerifierSettings {
  const authUrl = e.AUTH_URL.replace(/\/$/, '');
  return {
    jwksUrl: e.JWKS_URL || `${authUrl}/auth/.well-known/jwks.json`,
    revocationsUrl: e.REVOCATIONS_URL || `${authUrl}/internal/revocations`,
    revocationPollMs: e.REVOCATION_POLL_MS,
  };
}
