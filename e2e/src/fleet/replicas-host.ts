#!/usr/bin/env node
/**
 * Gateway replicas for the operator's fleet suites and benchmark: REPLICAS replicas in one process,
 * each running the gateway's real configuration pipeline (createKubernetesSource → ConfigHolder →
 * createReplicaLease, from @aegis/gateway) against the API server of KUBECONFIG, without the HTTP
 * request path (which reads the holder's configuration synchronously on every request, so a tenant
 * policy is enforced from the moment the holder swapped it in). A small HTTP endpoint reports, per
 * replica, when each tenant's policy changed.
 *
 * Env: KUBECONFIG, AEGIS_NAMESPACE (aegis), REPLICAS (3), PORT (0), RENEW_EVERY_MS (5000).
 * GET /ready · GET /tenant?id=<tenantId> → [{ replica, generation, suspended, requestsPerMinute, at }]
 */
import http from 'node:http';
import { createLogger, GATEWAY_CONFIG_MAP } from '@aegis/common';
import { createRestKubeApi } from '@aegis/kube';
import {
  ConfigHolder,
  createKubernetesSource,
  createReplicaLease,
  type CompiledConfig,
  type KubernetesSource,
} from '@aegis/gateway';

interface Applied {
  generation?: number;
  suspended: boolean;
  requestsPerMinute: number;
  at: number;
}

async function startReplica(index: number, namespace: string, renewEveryMs: number) {
  const logger = createLogger({ service: `gateway-${index}`, level: process.env.LOG_LEVEL ?? 'warn' });
  const api = await createRestKubeApi({
    kubeconfigPath: process.env.KUBECONFIG,
    inCluster: false,
    fieldManager: 'aegis-gateway',
    requestTimeoutMs: 30_000,
  });
  const changedAt = new Map<string, Applied>();
  let previous: CompiledConfig | undefined;
  // The callbacks below run only after start(), once `lease` is assigned.
  const holder = new ConfigHolder(logger, {
    onReload(outcome, current) {
      if (outcome !== 'applied' || !current) return;
      const at = Date.now();
      for (const [id, policy] of current.tenants) {
        if (previous?.tenants.get(id) === policy) continue;
        changedAt.set(id, {
          ...(policy.generation !== undefined ? { generation: policy.generation } : {}),
          suspended: policy.suspended,
          requestsPerMinute: policy.identityRule.requestsPerMinute,
          at,
        });
      }
      previous = current;
      void lease.renew();
    },
  });
  const source: KubernetesSource = createKubernetesSource({
    api,
    namespace,
    configMap: GATEWAY_CONFIG_MAP.name,
    logger,
    onApplied: () => void lease.renew(),
  });
  const lease = createReplicaLease({
    api,
    namespace,
    replica: `bench-${index}`,
    logger,
    renewEveryMs,
    currentHash: () => holder.current()?.hash,
    applied: () => source.applied(),
  });
  await source.start(holder);
  lease.start();
  return {
    name: `bench-${index}`,
    holder,
    changedAt,
    async stop() {
      await source.stop();
      await lease.stop();
      api.close();
    },
  };
}

async function main(): Promise<void> {
  const namespace = process.env.AEGIS_NAMESPACE ?? 'aegis';
  const count = Number(process.env.REPLICAS ?? 3);
  const renewEveryMs = Number(process.env.RENEW_EVERY_MS ?? 5000);
  const replicas = await Promise.all(
    Array.from({ length: count }, (_, i) => startReplica(i, namespace, renewEveryMs)),
  );
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/ready') {
      const ok = replicas.every((r) => r.holder.current() !== undefined);
      return send(ok ? 200 : 503, { ok });
    }
    if (url.pathname === '/tenant') {
      const id = url.searchParams.get('id') ?? '';
      return send(
        200,
        replicas.map((r) => ({ replica: r.name, ...(r.changedAt.get(id) ?? {}) })),
      );
    }
    return send(404, {});
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ msg: 'listening', port: address.port })}\n`);
  });
  const stop = async () => {
    server.close();
    await Promise.all(replicas.map((r) => r.stop()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway replicas failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
