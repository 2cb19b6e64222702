import os from 'node:os';
import path from 'node:path';
import {
  configLoader,
  envBool,
  envInt,
  envLogLevel,
  envString,
  GATEWAY_CONFIG_MAP,
  GATEWAY_TENANT_PIECES,
  invalidEnv,
} from '@aegis/common';
import { z } from 'zod';
import type { ControllerSettings } from './controller/controller';

/** Every operator setting, read once from the environment. Defaults work against a local cluster
 * (`npm run cluster:up`) with the kubeconfig in KUBECONFIG. */
export const operatorEnvSchema = z.object({
  LOG_LEVEL: envLogLevel(),
  AEGIS_NAMESPACE: envString('aegis'),
  GATEWAY_CONFIGMAP: envString(GATEWAY_CONFIG_MAP.name),
  /** A route table file; empty: the registry's table (defaultRouteTable in @aegis/common). */
  ROUTES_FILE: envString(''),
  KUBECONFIG: envString(''),
  /** Set by Kubernetes in every pod: use the pod's service account. */
  KUBERNETES_SERVICE_HOST: envString(''),
  ADMIN_HOST: envString('127.0.0.1'),
  ADMIN_PORT: envInt(8080, 0, 65535),
  POD_NAME: envString(''),
  LEADER_ELECTION: envBool(true),
  LEADER_ELECTION_LEASE: envString('aegis-operator-leader'),
  LEASE_DURATION_SECONDS: envInt(15, 1, 3600),
  RENEW_DEADLINE_SECONDS: envInt(10, 1, 3600),
  RETRY_PERIOD_SECONDS: envInt(2, 1, 600),
  WORKERS: envInt(4, 1, 64),
  RESYNC_SECONDS: envInt(300, 0, 86_400),
  WATCH_TIMEOUT_SECONDS: envInt(300, 1, 3600),
  WATCH_IDLE_SECONDS: envInt(120, 1, 3600),
  BACKOFF_BASE_MS: envInt(500, 1, 60_000),
  BACKOFF_MAX_MS: envInt(30_000, 1, 3_600_000),
  REQUEST_TIMEOUT_MS: envInt(30_000, 100, 600_000),
  /** Largest per-tenant ConfigMap the operator writes; the API server refuses more than 1 MiB. */
  TENANT_CONFIG_MAX_BYTES: envInt(GATEWAY_TENANT_PIECES.maxBytes, 1024, GATEWAY_TENANT_PIECES.maxBytes),
  AUTH_URL: envString(''),
  AUTH_ADMIN_EMAIL: envString(''),
  AUTH_ADMIN_PASSWORD: envString(''),
  /** The validating admission webhook (tenant id collisions, ADR 0023): 0 = not served. */
  WEBHOOK_PORT: envInt(0, 0, 65535),
  WEBHOOK_HOST: envString('127.0.0.1'),
  /** Folder holding tls.crt and tls.key of the webhook's serving certificate. */
  WEBHOOK_CERT_DIR: envString('/etc/aegis/webhook'),
});

export type OperatorConfig = z.output<typeof configSchema>;

/** The operator environment parsed into its configuration (rules across variables name them too). */
export const configSchema = operatorEnvSchema.transform((e, ctx) => {
  if (e.RENEW_DEADLINE_SECONDS >= e.LEASE_DURATION_SECONDS) {
    return invalidEnv(ctx, 'RENEW_DEADLINE_SECONDS', 'must be less than LEASE_DURATION_SECONDS');
  }
  if (e.RETRY_PERIOD_SECONDS >= e.RENEW_DEADLINE_SECONDS) {
    return invalidEnv(ctx, 'RETRY_PERIOD_SECONDS', 'must be less than RENEW_DEADLINE_SECONDS');
  }
  if (e.AUTH_URL && (!e.AUTH_ADMIN_EMAIL || !e.AUTH_ADMIN_PASSWORD)) {
    return invalidEnv(ctx, 'AUTH_ADMIN_EMAIL, AUTH_ADMIN_PASSWORD', 'required when AUTH_URL is set');
  }
  if (e.AUTH_URL && !/^https?:\/\//.test(e.AUTH_URL)) {
    return invalidEnv(ctx, 'AUTH_URL', 'must be an http(s) URL');
  }
  const controller: ControllerSettings = {
    namespace: e.AEGIS_NAMESPACE,
    gatewayConfigMap: e.GATEWAY_CONFIGMAP,
    identity: e.POD_NAME || `${os.hostname()}-${process.pid}`,
    leaderElection: {
      enabled: e.LEADER_ELECTION,
      leaseName: e.LEADER_ELECTION_LEASE,
      leaseDurationMs: e.LEASE_DURATION_SECONDS * 1000,
      renewDeadlineMs: e.RENEW_DEADLINE_SECONDS * 1000,
      retryPeriodMs: e.RETRY_PERIOD_SECONDS * 1000,
    },
    workers: e.WORKERS,
    resyncMs: e.RESYNC_SECONDS * 1000,
    maxTenantConfigBytes: e.TENANT_CONFIG_MAX_BYTES,
    watchTimeoutSeconds: e.WATCH_TIMEOUT_SECONDS,
    watchIdleMs: e.WATCH_IDLE_SECONDS * 1000,
    backoff: { baseMs: e.BACKOFF_BASE_MS, maxMs: e.BACKOFF_MAX_MS },
  };
  return {
    logLevel: e.LOG_LEVEL,
    routesFile: e.ROUTES_FILE,
    ...(e.KUBECONFIG ? { kubeconfig: e.KUBECONFIG.split(path.delimiter)[0] } : {}),
    inCluster: !e.KUBECONFIG && e.KUBERNETES_SERVICE_HOST !== '',
    admin: { host: e.ADMIN_HOST, port: e.ADMIN_PORT },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    ...(e.AUTH_URL
      ? { auth: { url: e.AUTH_URL, email: e.AUTH_ADMIN_EMAIL, password: e.AUTH_ADMIN_PASSWORD } }
      : {}),
    ...(e.WEBHOOK_PORT > 0
      ? { webhook: { host: e.WEBHOOK_HOST, port: e.WEBHOOK_PORT, certDir: e.WEBHOOK_CERT_DIR } }
      : {}),
    controller,
  };
});

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
