#!/usr/bin/env node
import {
  createAdminServer,
  createLogger,
  defaultRouteTable,
  healthRoutes,
  type Readiness,
} from '@aegis/common';
import { createAuthAdminClient } from './auth/admin-client';
import { loadConfig } from './config';
import { loadRoutesFile } from './controller/aegistenant/routes';
import { TenantController } from './controller/controller';
import { FIELD_MANAGER } from './controller/aegistenant/desired';
import { createRestKubeApi } from '@aegis/kube';
import { createOperatorMetrics } from './metrics';
import { startAdmissionWebhook } from './webhook';

/** The operator process: the only place that reads the environment and wires the pieces. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ service: 'operator', level: config.logLevel });
  const metrics = createOperatorMetrics();
  const routes = config.routesFile ? loadRoutesFile(config.routesFile) : defaultRouteTable();
  const api = await createRestKubeApi({
    kubeconfigPath: config.kubeconfig,
    inCluster: config.inCluster,
    fieldManager: FIELD_MANAGER,
    requestTimeoutMs: config.requestTimeoutMs,
    onWrite: (verb, resource, sub) =>
      metrics.writes.inc({ verb, resource: sub ? `${resource.plural}/${sub}` : resource.plural }),
  });
  const admin = config.auth ? createAuthAdminClient(config.auth) : undefined;
  if (!admin) log.warn('AUTH_URL is not set: tenant administrators are not provisioned');
  const controller = new TenantController({ api, settings: config.controller, routes, admin, log, metrics });
  metrics.observeTenants(() => controller.tenants.list());
  const cache = () => (controller.tenants.hasSynced() ? controller.tenants.list() : undefined);
  const webhook = config.webhook ? await startAdmissionWebhook(config.webhook, cache, log) : undefined;

  let started = false;
  const server = createAdminServer({
    registry: metrics.registry,
    routes: {
      ...healthRoutes({ service: 'operator', ready, aliases: { health: '/healthz', ready: '/readyz' } }),
      '/leader': () => ({
        status: 200,
        body: { leader: controller.isLeader(), identity: config.controller.identity },
      }),
    },
  });
  function ready(): Readiness {
    const r = started ? controller.ready() : { ok: false, reason: 'starting' };
    return r.ok ? { ok: true, details: { leader: controller.isLeader() } } : r;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.admin.port, config.admin.host, resolve);
  });
  log.info(
    {
      server: api.server,
      namespace: config.controller.namespace,
      identity: config.controller.identity,
      admin: server.address(),
    },
    'Started operator',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Stopping operator');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await controller.stop();
    } finally {
      server.close();
      await webhook?.close();
      api.close();
      log.info('Stopped operator');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await controller.start();
  started = true;
}

main().catch((err: unknown) => {
  console.error(
    JSON.stringify({
      level: 'fatal',
      service: 'operator',
      msg: 'Failed to start operator',
      err: String((err as Error)?.message ?? err),
    }),
  );
  process.exit(1);
});
