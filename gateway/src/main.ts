#!/usr/bin/env node
import {
  createAdminServer,
  createLifecycle,
  healthRoutes,
  createLogger,
  createRevocationChecker,
  createTokenVerifier,
  type Logger,
} from '@aegis/common';
import { gatewayHealth } from './app';
import { createGatewayHandler } from './proxied';
import { createGatewayServer } from './server';
import { loadConfig } from './config';
import { createFileSource } from './config-source/file-source';
import { createKubernetesSource } from './config-source/kubernetes-source';
import type { ConfigSource } from './config-source/source';
import { createKubeApi } from './k8s/client';
import { createReplicaLease } from './k8s/replica-lease';
import { ConfigHolder } from './config-source/holder';
import { createGatewayMetrics } from './metrics';
import { createUpstreamProxy } from './proxy/upstream-proxy';
import { createMemoryLimiter, createRedisLimiter, type RateLimiter } from './ratelimit';

/** Gives the shared limiter a moment to connect before taking traffic, so the first requests are
 * counted in the shared store rather than by each replica's fallback. Starting without it (Redis
 * down) is allowed: the tenants' failure policies apply until it is reachable. */
async function waitForLimiter(limiter: RateLimiter, waitMs: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (limiter.status() !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (limiter.status() !== 'ok') logger.warn({ waitMs }, 'Started without the shared rate-limit store');
}

/** The only place that reads the environment, builds the dependencies and listens. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'api-gateway', level: config.logLevel });
  const metrics = createGatewayMetrics();

  let lease: ReturnType<typeof createReplicaLease> | undefined;
  const holder = new ConfigHolder(logger, {
    onReload(outcome, current) {
      metrics.configReloads.inc({ outcome });
      if (outcome === 'applied' && current) {
        metrics.configInfo.reset();
        metrics.configInfo.set({ hash: current.hash }, 1);
        void lease?.renew();
      }
    },
  });
  let source: ConfigSource;
  if (config.configSource === 'kubernetes') {
    const api = await createKubeApi();
    const { namespace, configMap, replica, resyncMs } = config.kubernetes;
    const kube = createKubernetesSource({
      api,
      namespace,
      configMap,
      resyncMs,
      logger,
      onApplied: () => void lease?.renew(),
    });
    source = kube;
    lease = createReplicaLease({
      api,
      namespace,
      replica,
      logger,
      currentHash: () => holder.current()?.hash,
      applied: () => kube.applied(),
    });
  } else {
    source = createFileSource({ routesFile: config.routesFile, tenantsFile: config.tenantsFile });
  }

  const limiterMetrics = { decisions: metrics.limiterDecisions, storeErrors: metrics.limiterStoreErrors };
  const limiter = config.redisUrl
    ? createRedisLimiter({
        url: config.redisUrl,
        timeoutMs: config.redisTimeoutMs,
        logger,
        metrics: limiterMetrics,
      })
    : createMemoryLimiter({ metrics: limiterMetrics });

  const revocation = createRevocationChecker({
    url: config.revocationsUrl,
    pollIntervalMs: config.revocationPollMs,
    logger,
  });
  const verifier = createTokenVerifier({
    jwksUrl: config.jwksUrl,
    clockToleranceSec: config.clockToleranceSec,
    revocation,
    logger,
  });
  const upstream = createUpstreamProxy({
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    maxSockets: config.upstream.maxSockets,
    onUpstreamError: (upstream, kind) => {
      metrics.upstreamErrors.inc({ upstream, kind });
      logger.warn({ upstream, kind }, 'Upstream request failed');
    },
  });

  const lifecycle = createLifecycle({
    logger,
    drainTimeoutMs: config.drainTimeoutMs,
    shutdownDelayMs: config.shutdownDelayMs,
    exit: true,
    onDrain: () => {
      // In-flight requests finish; event streams are open-ended, so they are ended cleanly.
      const ended = upstream.endStreams();
      if (ended > 0) logger.info({ streams: ended }, 'Ended event streams for shutdown');
    },
    cleanup: async () => {
      await source.stop();
      await lease?.stop();
      upstream.close();
      verifier.close();
      revocation.close();
      await limiter.close();
    },
  });

  const handler = createGatewayHandler({
    config,
    logger,
    holder,
    verifier,
    revocation,
    limiter,
    upstream,
    metrics,
    draining: () => lifecycle.draining,
  });
  const server = createGatewayServer({ handler, config, logger });
  lifecycle.track(server);

  const admin = createAdminServer({
    registry: metrics.registry,
    routes: {
      ...healthRoutes(gatewayHealth({ holder, limiter, draining: () => lifecycle.draining })),
      '/config': () => {
        const current = holder.current();
        return {
          status: current ? 200 : 503,
          body: current
            ? {
                hash: current.hash,
                source: current.source,
                loaded_at: current.loadedAt,
                last_error: holder.lastError ?? null,
              }
            : { hash: null, last_error: holder.lastError ?? null },
        };
      },
    },
  });

  await source.start(holder);
  lease?.start();
  if (config.redisUrl) await waitForLimiter(limiter, config.redisStartupWaitMs, logger);
  lifecycle.handleSignals();
  await lifecycle.listen({ server, port: config.port, host: config.host, name: 'api' });
  await lifecycle.listen({ server: admin, port: config.adminPort, host: config.host, name: 'admin' });
}

main().catch((err: unknown) => {
  // Configuration errors name the variable; nothing else has started yet.
  process.stderr.write(`api-gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
