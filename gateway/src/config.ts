import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  authClientSettings,
  configLoader,
  envBool,
  envInt,
  envList,
  envLogLevel,
  envString,
  GATEWAY_CONFIG_MAP,
} from '@aegis/common';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Every gateway setting, read once from the environment. Defaults run locally with no other setup. */
export const gatewayEnvSchema = z.object({
  NODE_ENV: envString('development'),
  HOST: envString('127.0.0.1'),
  PORT: envInt(8000, 0, 65535),
  ADMIN_PORT: envInt(9000, 0, 65535),
  LOG_LEVEL: envLogLevel(),
  /** Where routes and tenants come from: file (local default) or kubernetes (the operator's ConfigMap). */
  CONFIG_SOURCE: z.enum(['file', 'kubernetes']).default('file'),
  AEGIS_NAMESPACE: envString('aegis'),
  GATEWAY_CONFIGMAP: envString(GATEWAY_CONFIG_MAP.name),
  POD_NAME: envString(''),
  CONFIG_RESYNC_MS: envInt(30_000, 1000),
  /** A route table file (watched); empty: the registry's table (defaultRouteTable in @aegis/common). */
  ROUTES_FILE: envString(''),
  TENANTS_FILE: envString(path.join(repoRoot, 'config', 'tenants.yaml')),
  AUTH_URL: envString('http://127.0.0.1:8009'),
  JWKS_URL: envString(''),
  REVOCATIONS_URL: envString(''),
  REVOCATION_POLL_MS: envInt(1000, 100),
  JWT_CLOCK_TOLERANCE_SEC: envInt(5, 0, 300),
  REDIS_URL: envString(''),
  REDIS_TIMEOUT_MS: envInt(100, 5, 10_000),
  REDIS_STARTUP_WAIT_MS: envInt(5000, 0, 120_000),
  DEFAULT_REQUESTS_PER_MINUTE: envInt(100, 1),
  DEFAULT_BURST: envInt(10, 1),
  CORS_ALLOW_ORIGINS: envList(['*']),
  TRUSTED_PROXIES: envList([]),
  UPSTREAM_CONNECT_TIMEOUT_MS: envInt(2000, 1),
  UPSTREAM_TIMEOUT_MS: envInt(30_000, 1),
  UPSTREAM_MAX_SOCKETS: envInt(256, 1),
  MAX_BODY_BYTES: envInt(10 * 1024 * 1024, 0),
  MAX_UPLOAD_BYTES: envInt(256 * 1024 * 1024, 0),
  HEADERS_TIMEOUT_MS: envInt(10_000, 100),
  REQUEST_TIMEOUT_MS: envInt(300_000, 0),
  KEEP_ALIVE_TIMEOUT_MS: envInt(5_000, 100),
  MAX_HEADER_BYTES: envInt(16 * 1024, 1024),
  DRAIN_TIMEOUT_MS: envInt(25_000, 0),
  SHUTDOWN_DELAY_MS: envInt(0, 0, 120_000),
  METRICS_ON_MAIN_PORT: envBool(true),
});

export type GatewayConfig = z.output<typeof configSchema>;

/** The gateway environment parsed into its configuration. */
export const configSchema = gatewayEnvSchema.transform((e) => ({
  env: e.NODE_ENV,
  host: e.HOST,
  port: e.PORT,
  adminPort: e.ADMIN_PORT,
  logLevel: e.LOG_LEVEL,
  configSource: e.CONFIG_SOURCE,
  kubernetes: {
    namespace: e.AEGIS_NAMESPACE,
    configMap: e.GATEWAY_CONFIGMAP,
    replica: e.POD_NAME || `${os.hostname()}-${process.pid}`,
    resyncMs: e.CONFIG_RESYNC_MS,
  },
  routesFile: e.ROUTES_FILE,
  tenantsFile: e.TENANTS_FILE,
  ...authClientSettings(e),
  clockToleranceSec: e.JWT_CLOCK_TOLERANCE_SEC,
  ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
  redisTimeoutMs: e.REDIS_TIMEOUT_MS,
  redisStartupWaitMs: e.REDIS_STARTUP_WAIT_MS,
  defaultRule: { requestsPerMinute: e.DEFAULT_REQUESTS_PER_MINUTE, burst: e.DEFAULT_BURST },
  corsAllowOrigins: e.CORS_ALLOW_ORIGINS,
  trustedProxies: e.TRUSTED_PROXIES,
  upstream: {
    connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
    timeoutMs: e.UPSTREAM_TIMEOUT_MS,
    maxSockets: e.UPSTREAM_MAX_SOCKETS,
  },
  maxBodyBytes: e.MAX_BODY_BYTES,
  maxUploadBytes: e.MAX_UPLOAD_BYTES,
  server: {
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderBytes: e.MAX_HEADER_BYTES,
  },
  drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
  shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
  metricsOnMainPort: e.METRICS_ON_MAIN_PORT,
}));

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
