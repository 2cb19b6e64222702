import type { ServiceKit } from '@aegis/common';
import { createKnowledgeGraphClient, type KnowledgeGraphClient } from '@aegis/graph-client';
import type { Config } from './config';
import type { ComplianceStore } from './store/schema';
import { createPublisher } from './sweep/publish';
import { sweepOnce, type SweepIdentity } from './sweep/sweep';

/** The knowledge-graph client of the running service. */
export function knowledgeGraphClient(kit: ServiceKit<Config>): KnowledgeGraphClient {
  return createKnowledgeGraphClient({
    baseUrl: kit.config.knowledgeGraphUrl,
    timeoutMs: kit.config.kgTimeoutMs,
    commitTimeoutMs: kit.config.kgTimeoutMs,
    logger: kit.logger,
  });
}

/**
 * The scheduled sweep (SWEEP_INTERVAL_MS; 0 turns it off): for every tenant, record the alerts not yet
 * recorded and publish them on the flaring monitor's stream. It reads the graph as the service itself
 * (`identity`: a client-credentials token, PLAN11 contract 1), so it only runs when the service has a
 * secret and an identity. Correctness across replicas comes from the store's unique
 * (tenant_id, dedupe_key); a lease (`schedule`) only saves the duplicate work.
 */
export function startComplianceSweep(
  kit: ServiceKit<Config>,
  kg: KnowledgeGraphClient,
  identity: SweepIdentity | undefined,
  schedule: (sweep: (signal: AbortSignal) => Promise<void>) => void = (sweep) =>
    kit.every('compliance sweep', kit.config.sweepIntervalMs, () => sweep(new AbortController().signal)),
): void {
  if (kit.config.sweepIntervalMs === 0) return;
  if (!identity) {
    kit.logger.warn({}, 'Disabled the compliance sweep: no SERVICE_CLIENT_SECRET');
    return;
  }
  const deps = {
    store: kit.store as ComplianceStore,
    kg,
    identity,
    publish: createPublisher({ flaringMonitorUrl: kit.config.flaringMonitorUrl, logger: kit.logger }),
    logger: kit.logger,
  };
  schedule(async (signal) => {
    await sweepOnce(deps, signal);
  });
}
