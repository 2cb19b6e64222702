import { startScheduledSweep, type ServiceKit } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import { SERVICE_NAME, type Config } from './config';
import type { ComplianceStore } from './store/schema';
import { createPublisher } from './sweep/publish';
import { sweepOnce } from './sweep/sweep';

/** The lease name of the sweep (unique across services sharing a database). */
export const SWEEPER_NAME = 'compliance-monitor.alerts';

/**
 * The scheduled sweep (SWEEP_INTERVAL_MS; 0 turns it off): for every tenant, record the alerts not yet
 * recorded and publish them on the flaring monitor's stream. It reads the graph as the service itself
 * (a client-credentials token, ADR 0019), so it needs SERVICE_CLIENT_SECRET. One replica sweeps at a
 * time (the sweeper lease); the store's unique (tenant_id, dedupe_key) keeps overlapping sweeps from
 * recording an alert twice.
 */
export function startComplianceSweep(kit: ServiceKit<Config>, kg: KnowledgeGraphClient): void {
  const { config, logger } = kit;
  const publish = createPublisher({ flaringMonitorUrl: config.flaringMonitorUrl, logger });
  startScheduledSweep(kit, {
    service: SERVICE_NAME,
    lease: SWEEPER_NAME,
    sweep: (identity) => async (signal) => {
      await sweepOnce({ store: kit.store as ComplianceStore, kg, identity, publish, logger }, signal);
    },
  });
}
