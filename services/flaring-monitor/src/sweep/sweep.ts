import { startSweeper, type ServiceIdentity, type Store, type Sweeper } from '@aegis/common';
import type { Logger } from 'pino';
import type { EventsDb } from '../events/schema';
import { recordAlerts, type NewAlert } from './alerts';

/** A tenant's caller for the knowledge graph (a service token acting on that tenant). */
export type TenantCaller = Awaited<ReturnType<ServiceIdentity['caller']>>;

/** The alerts an assessment of one tenant produces now (the service's `assessTenant`). */
export type AlertsOf = (caller: TenantCaller, signal: AbortSignal) => Promise<readonly NewAlert[]>;

export interface FlaringSweepDeps {
  store: Store;
  identity: Pick<ServiceIdentity, 'tenants' | 'caller'>;
  alertsOf: AlertsOf;
  logger: Logger;
  now?: () => number;
}

/** The lease name of the flaring sweep (one sweeper across replicas). */
export const FLARING_SWEEP_NAME = 'flaring-monitor.alerts';

/**
 * One sweep: for every tenant, assess and record the alerts not recorded yet, publishing the new ones
 * on the stream. A tenant whose assessment fails is logged and skipped; the others still run.
 * Idempotent: alerts are deduplicated by key, so an overlapping sweep records nothing twice.
 */
export function flaringSweep(deps: FlaringSweepDeps): (signal: AbortSignal) => Promise<void> {
  const now = deps.now ?? Date.now;
  return async (signal) => {
    for (const tenant of await deps.identity.tenants()) {
      if (signal.aborted) return;
      try {
        const alerts = await deps.alertsOf(await deps.identity.caller(tenant), signal);
        if (signal.aborted) return;
        const recorded = await deps.store.transaction((tx: EventsDb) =>
          recordAlerts(tx, tenant, alerts, new Date(now()).toISOString()),
        );
        if (recorded.length)
          deps.logger.info({ tenant, alerts: recorded.length }, 'Recorded new flaring alerts');
      } catch (err) {
        deps.logger.error({ err, tenant }, 'Flaring sweep of a tenant failed');
      }
    }
  };
}

/** Starts the flaring sweep every `intervalMs` on one replica at a time (the sweeper lease). */
export function startFlaringSweeper(
  deps: FlaringSweepDeps & { intervalMs: number; initialDelayMs?: number },
): Sweeper {
  return startSweeper({
    store: deps.store,
    name: FLARING_SWEEP_NAME,
    intervalMs: deps.intervalMs,
    initialDelayMs: deps.initialDelayMs,
    sweep: flaringSweep(deps),
    logger: deps.logger,
    now: deps.now,
  });
}
