import { randomBytes } from 'node:crypto';
import { loadConfig } from './config';

describe('approvals configuration', () => {
  it('has local defaults: port 8004, a generated audit key, a 24 h timeout and a 5 min sweep', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8004,
      adminPort: 9004,
      auditHmacKey: undefined,
      auditKeyEncryptionKey: undefined,
      escalationTimeoutHours: 24,
      escalationSweepIntervalMs: 300_000,
      outboxPollMs: 1000,
      sseHeartbeatMs: 15_000,
    });
    expect(c.databaseUrl).toMatch(/approvals\.db$/);
  });

  it('reads the audit key and the key-encryption key', () => {
    const key = randomBytes(48);
    const kek = randomBytes(32);
    const c = loadConfig({
      AUDIT_HMAC_KEY: key.toString('base64'),
      AUDIT_KEY_ENCRYPTION_KEY: kek.toString('base64'),
    });
    expect(c.auditHmacKey?.equals(key)).toBe(true);
    expect(c.auditKeyEncryptionKey?.equals(kek)).toBe(true);
  });

  it.each([
    ['AUDIT_HMAC_KEY', randomBytes(16).toString('base64')],
    ['AUDIT_KEY_ENCRYPTION_KEY', randomBytes(16).toString('base64')],
    ['ESCALATION_TIMEOUT_HOURS', '0'],
    ['ESCALATION_SWEEP_INTERVAL_MS', '-1'],
    ['SSE_HEARTBEAT_MS', '60000'],
  ])('refuses a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
