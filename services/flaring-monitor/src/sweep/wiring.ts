import { createServiceIdentity, type ServiceKit } from '@aegis/common';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import { SERVICE_NAME, type Config } from '../config';
import { assessTenant } from '../flaring/assess';
import type { FlaringStore } from '../store/schema';
import { startFlaringSweeper } from './sweep';

/**
 * Starts the flaring sweep of the running service: every `SWEEP_INTERVAL_MS`, on
 * one replica at a time, each tenant is assessed with the service's own token and its new alerts are
 * recorded and published. Off when the interval is 0 or `SERVICE_CLIENT_SECRET` is unset (said so
 * in the log). Stopped at shutdown.
 */
export function startSweepOfKit(kit: ServiceKit<Config>, kg: KnowledgeGraphClient): void {
  const { config, logger } = kit;
  if (config.sweepIntervalMs === 0) {
    logger.info('Flaring sweep is off (SWEEP_INTERVAL_MS=0)');
    return;
  }
  if (!config.serviceClientSecret) {
    logger.warn('Flaring sweep did not start: SERVICE_CLIENT_SECRET is unset');
    return;
  }
  const identity = createServiceIdentity({
    authUrl: config.authUrl,
    name: SERVICE_NAME,
    secret: config.serviceClientSecret,
  });
  const deps = { store: kit.store as FlaringStore, kg, now: Date.now };
  const sweeper = startFlaringSweeper({
    store: kit.store,
    identity,
    alertsOf: async (caller) => (await assessTenant(deps, caller)).alerts,
    logger,
    intervalMs: config.sweepIntervalMs,
  });
  kit.onClose(() => sweeper.stop());
}
