import { freePort, type RunningProcess, startNodeProcess } from '@aegis/testing';

/** One replica's view of a tenant: the policy it runs and when it swapped it in (epoch ms). */
export interface ReplicaTenantView {
  replica: string;
  generation?: number;
  suspended?: boolean;
  requestsPerMinute?: number;
  at?: number;
}

export interface GatewayReplicas {
  proc: RunningProcess;
  url: string;
  tenant(tenantId: string): Promise<ReplicaTenantView[]>;
  stop(): Promise<void>;
}

/**
 * Starts `replicas` gateway replicas in one process (e2e/src/fleet/replicas-host.ts: the gateway's
 * real Kubernetes configuration source, holder and replica Lease) against the API server of
 * `kubeconfig`. Resolves once every replica runs a configuration (the operator must be running).
 */
export async function startGatewayReplicas(options: {
  kubeconfig: string;
  replicas?: number;
  renewEveryMs?: number;
  namespace?: string;
  timeoutMs?: number;
}): Promise<GatewayReplicas> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startNodeProcess({
    name: 'gateway-replicas',
    entry: 'e2e/src/fleet/replicas-host.ts',
    runner: 'tsx',
    env: {
      KUBECONFIG: options.kubeconfig,
      AEGIS_NAMESPACE: options.namespace ?? 'aegis',
      REPLICAS: String(options.replicas ?? 3),
      RENEW_EVERY_MS: String(options.renewEveryMs ?? 5000),
      PORT: String(port),
    },
    readyUrl: `${url}/ready`,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  return {
    proc,
    url,
    async tenant(tenantId) {
      const res = await fetch(`${url}/tenant?id=${encodeURIComponent(tenantId)}`);
      return (await res.json()) as ReplicaTenantView[];
    },
    stop: () => proc.stop(),
  };
}
