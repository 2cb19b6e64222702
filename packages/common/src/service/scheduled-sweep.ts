import type { ServiceName } from '../registry/services';
import { createServiceIdentity, type ServiceIdentity } from './identity';
import type { ServiceKit } from './run';
import type { ServiceSettings } from './env';
import { startSweeper } from './sweeper';

/** What a service's configuration carries for a scheduled sweep. */
export interface SweepSettings {
  /** `SWEEP_INTERVAL_MS`; 0 turns the sweep off. */
  sweepIntervalMs: number;
  /** `SERVICE_CLIENT_SECRET` (`serviceIdentityEnv`); empty turns the sweep off, said in the log. */
  serviceClientSecret: string;
  authUrl: string;
}

/**
 * A service's scheduled sweep over the kit: every `sweepIntervalMs`, on one replica at a time (the
 * sweeper lease `lease`), `sweep` runs with the service's own identity (a client-credentials token,
 * ADR 0019), and stops at shutdown. Off, with a log line saying why, when the interval is 0 or the
 * secret is unset. The sweep must be idempotent (see `startSweeper`).
 */
export function startScheduledSweep<C extends ServiceSettings & SweepSettings>(
  kit: ServiceKit<C>,
  options: {
    service: ServiceName;
    lease: string;
    sweep: (identity: ServiceIdentity) => (signal: AbortSignal) => Promise<void>;
  },
): void {
  const { config, logger } = kit;
  if (config.sweepIntervalMs === 0) {
    logger.info({ sweeper: options.lease }, 'The scheduled sweep is off (SWEEP_INTERVAL_MS=0)');
    return;
  }
  if (!config.serviceClientSecret) {
    logger.warn({ sweeper: options.lease }, 'The scheduled sweep is off: SERVICE_CLIENT_SECRET is not set');
    return;
  }
  const identity = createServiceIdentity({
    authUrl: config.authUrl,
    name: options.service,
    secret: config.serviceClientSecret,
  });
  const sweeper = startSweeper({
    store: kit.store,
    name: options.lease,
    intervalMs: config.sweepIntervalMs,
    logger,
    sweep: options.sweep(identity),
  });
  kit.onClose(() => sweeper.stop());
}
