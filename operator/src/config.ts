import os from 'node:os';
import path from 'node:path';
import { envBool, envInt, envString, GATEWAY_CONFIG_MAP, loadEnv } from '@aegis/common';
import { z } from 'zod';
import type { ControllerSettings } from './controller/controller';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Every operator setting, read once from the environment. Defaults work against a local cluster
 * (`npm run cluster:up`) with the kubeconfig in KUBECONFIG. */
export const operatorEnvSchema = z.object({
  LOG_LEVEL: envString('info'),
  AEGIS_NAMESPACE: envString('aegis'),
  GATEWAY_CONFIGMAP: envString(GATEWAY_CONFIG_MAP.name),
  ROUTES_FILE: envString(path.join(repoRoot, 'gateway', 'config', 'routes.yaml')),
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
  AUTH_URL: envString(''),
  AUTH_ADMIN_EMAIL: envString(''),
  AUTH_ADMIN_PASSWORD: envString(''),
});

export interface OperatorConfig {
  logLevel: string;
  routesFile: string;
  kubeconfig?: string;
  inCluster: boolean;
  admin: { host: string; port: number };
  requestTimeoutMs: number;
  auth?: { url: string; email: string; password: string };
  controller: ControllerSettings;
}

export function loadConfig(env: NodeJS.ProcessEnv): Readonly<OperatorConfig> {
  const e = loadEnv(operatorEnvSchema, env);
  if (e.RENEW_DEADLINE_SECONDS >= e.LEASE_DURATION_SECONDS) {
    throw new Error(
      'Invalid configuration:\n  RENEW_DEADLINE_SECONDS: must be less than LEASE_DURATION_SECONDS',
    );
  }
  if (e.RETRY_PERIOD_SECONDS >= e.RENEW_DEADLINE_SECONDS) {
    throw new Error(
      'Invalid configuration:\n  RETRY_PERIOD_SECONDS: must be less than RENEW_DEADLINE_SECONDS',
    );
  }
  if (e.AUTH_URL && (!e.AUTH_ADMIN_EMAIL || !e.AUTH_ADMIN_PASSWORD)) {
    throw new Error(
      'Invalid configuration:\n  AUTH_ADMIN_EMAIL, AUTH_ADMIN_PASSWORD: required when AUTH_URL is set',
    );
  }
  if (e.AUTH_URL && !/^https?:\/\//.test(e.AUTH_URL)) {
    throw new Error('Invalid configuration:\n  AUTH_URL: must be an http(s) URL');
  }
  return Object.freeze({
    logLevel: e.LOG_LEVEL,
    routesFile: e.ROUTES_FILE,
    ...(e.KUBECONFIG ? { kubeconfig: e.KUBECONFIG.split(path.delimiter)[0] } : {}),
    inCluster: !e.KUBECONFIG && e.KUBERNETES_SERVICE_HOST !== '',
    admin: { host: e.ADMIN_HOST, port: e.ADMIN_PORT },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    ...(e.AUTH_URL
      ? { auth: { url: e.AUTH_URL, email: e.AUTH_ADMIN_EMAIL, password: e.AUTH_ADMIN_PASSWORD } }
      : {}),
    controller: {
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
      watchTimeoutSeconds: e.WATCH_TIMEOUT_SECONDS,
      watchIdleMs: e.WATCH_IDLE_SECONDS * 1000,
      backoff: { baseMs: e.BACKOFF_BASE_MS, maxMs: e.BACKOFF_MAX_MS },
    },
  });
}
