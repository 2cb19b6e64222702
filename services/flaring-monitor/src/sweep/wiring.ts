import { startScheduledSweep, type ServiceKit } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import { SERVICE_NAME, type Config } from '../config';
import { assessTenant } from '../flaring/assess';
import type { FlaringStore } from '../store/schema';
import { FLARING_SWEEP_NAME, flaringSweep } from './sweep';

/**
 * Starts the flaring sweep of the running service: every `SWEEP_INTERVAL_MS`, on
 * one replica at a time, each tenant is assessed with the service's own token and its new alerts are
 * recorded and published. Off when the interval is 0 or `SERVICE_CLIENT_SECRET` is unset (said so
 * in the log). Stopped at shutdown.
 */
export function startSweepOfKit(kit: ServiceKit<Config>, kg: KnowledgeGraphClient): void {
  const deps = { store: kit.store as FlaringStore, kg, now: Date.now };
  startScheduledSweep(kit, {
    service: SERVICE_NAME,
    lease: FLARING_SWEEP_NAME,
    sweep: (identity) =>
      flaringSweep({
        store: kit.store,
        identity,
        alertsOf: async (caller) => (await assessTenant(deps, caller)).alerts,
        logger: kit.logger,
      }),
  });
}
