import { createSealer, type ServiceKit } from '@aegis/common';
import { createAuditKeys, type AuditKeys } from './audit/keys';
import type { Config } from './config';
import { startEscalationSweeper } from './escalation/sweep';
import { OutboxSignal } from './outbox/signal';
import type { ApprovalsStore } from './store/schema';

/** Start-up work of the running service: the audit key (configured, or generated and stored sealed on
 * first start), and the scheduled escalation sweep (off when ESCALATION_SWEEP_INTERVAL_MS is 0). */
export async function startApprovals(
  kit: ServiceKit<Config>,
): Promise<{ keys: AuditKeys; signal: OutboxSignal }> {
  const { config, logger } = kit;
  const store = kit.store as ApprovalsStore;
  const keys = createAuditKeys({
    store,
    configured: config.auditHmacKey,
    sealer: createSealer(config.auditKeyEncryptionKey, 'AUDIT_KEY_ENCRYPTION_KEY'),
  });
  const { id } = await keys.current();
  logger.info({ key_id: id, configured: Boolean(config.auditHmacKey) }, 'Loaded the audit HMAC key');
  if (config.production && !config.auditHmacKey && !config.auditKeyEncryptionKey) {
    logger.warn(
      'Stored the audit HMAC key unencrypted: set AUDIT_HMAC_KEY or AUDIT_KEY_ENCRYPTION_KEY in production',
    );
  }
  const signal = new OutboxSignal();
  if (config.escalationSweepIntervalMs === 0) {
    logger.info(
      { sweeper: 'approvals.escalation' },
      'The escalation sweep is off (ESCALATION_SWEEP_INTERVAL_MS=0)',
    );
  } else {
    const sweeper = startEscalationSweeper(
      { store, keys, signal, now: Date.now, escalationTimeoutHours: config.escalationTimeoutHours },
      { intervalMs: config.escalationSweepIntervalMs, logger },
    );
    kit.onClose(() => sweeper.stop());
  }
  return { keys, signal };
}
