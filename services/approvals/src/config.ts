import {
  authClientEnv,
  authClientSettings,
  configLoader,
  envInt,
  envSealingKey,
  invalidEnv,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import { z } from 'zod';

export const SERVICE_NAME = 'approvals';

export type Config = z.output<typeof configSchema>;

/** Shortest accepted AUDIT_HMAC_KEY: HMAC-SHA256 keys shorter than the hash (32 bytes) weaken it. */
export const MIN_AUDIT_KEY_BYTES = 32;

/** The approvals environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    ...authClientEnv,
    /** The audit-chain HMAC key, base64 (≥ 32 bytes). Unset: one is generated and stored (sealed). */
    AUDIT_HMAC_KEY: z.string().optional(),
    /** 32-byte AES-256-GCM key sealing the generated audit key in the store; unset: stored in clear. */
    AUDIT_KEY_ENCRYPTION_KEY: envSealingKey(),
    /** A tenant's escalation timeout when its settings name none (spec §8: `timeout_hours` default 24). */
    ESCALATION_TIMEOUT_HOURS: envInt(24, 1, 8760),
    /** Interval of the scheduled escalation sweep; 0 turns it off. */
    ESCALATION_SWEEP_INTERVAL_MS: envInt(300_000, 0, 86_400_000),
    /** How often an open outbox stream looks for decisions made on other replicas. */
    OUTBOX_POLL_MS: envInt(1000, 20, 60_000),
    /** `: ping` interval of the outbox stream (spec §7: at least every 15 s). */
    SSE_HEARTBEAT_MS: envInt(15_000, 10, 15_000),
  })
  .transform((e, ctx) => {
    let auditHmacKey: Buffer | undefined;
    if (e.AUDIT_HMAC_KEY) {
      auditHmacKey = Buffer.from(e.AUDIT_HMAC_KEY, 'base64');
      if (auditHmacKey.length < MIN_AUDIT_KEY_BYTES)
        return invalidEnv(
          ctx,
          'AUDIT_HMAC_KEY',
          `must be at least ${MIN_AUDIT_KEY_BYTES} bytes, base64-encoded`,
        );
    }
    return {
      ...serviceSettings(e),
      ...authClientSettings(e),
      auditHmacKey,
      auditKeyEncryptionKey: e.AUDIT_KEY_ENCRYPTION_KEY,
      escalationTimeoutHours: e.ESCALATION_TIMEOUT_HOURS,
      escalationSweepIntervalMs: e.ESCALATION_SWEEP_INTERVAL_MS,
      outboxPollMs: e.OUTBOX_POLL_MS,
      sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    };
  });

/** Parses the approvals environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
