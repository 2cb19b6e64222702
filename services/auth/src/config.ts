import { ConfigError, envBool, envInt, envString, loadEnv, serviceEnv } from '@aegis/common';
import { z } from 'zod';

export const SERVICE_NAME = 'auth';
/** Local-only default password of the bootstrap admin (documented in the README); refused in production. */
export const DEFAULT_BOOTSTRAP_PASSWORD = 'aegis-dev-admin';

const schema = z.object({
  NODE_ENV: envString('development'),
  ...serviceEnv(8009, 'sqlite:.data/auth.db'),
  TOKEN_TTL_SECONDS: envInt(86_400, 60, 30 * 86_400),
  COOKIE_SECURE: envBool(false),
  BOOTSTRAP_ADMIN_ENABLED: envBool(true),
  BOOTSTRAP_ADMIN_EMAIL: envString('admin@aegis.local').pipe(z.email()),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  LOCKOUT_MAX_FAILURES: envInt(5, 1, 1000),
  LOCKOUT_SECONDS: envInt(900, 1, 86_400),
  SCRYPT_LOG_N: envInt(15, 10, 20),
  SIGNING_KEY_ENCRYPTION_KEY: z.string().optional(),
  KEY_ACTIVATION_DELAY_SECONDS: envInt(15, 0, 86_400),
  REVOCATION_POLL_MS: envInt(1000, 100, 60_000),
  DRAIN_TIMEOUT_MS: envInt(10_000, 0, 300_000),
  BODY_LIMIT_BYTES: envInt(65_536, 1024, 10 * 1024 * 1024),
});

export interface Config {
  nodeEnv: string;
  production: boolean;
  host: string;
  port: number;
  adminPort: number;
  databaseUrl: string;
  logLevel: string;
  tokenTtlSec: number;
  cookieSecure: boolean;
  bootstrapAdmin: { email: string; password: string } | undefined;
  lockout: { maxFailures: number; lockMs: number };
  scryptLogN: number;
  /** 32-byte AES-256-GCM key sealing private signing keys in the store; undefined = stored in clear. */
  keyEncryptionKey: Buffer | undefined;
  keyActivationDelaySec: number;
  revocationPollMs: number;
  drainTimeoutMs: number;
  bodyLimitBytes: number;
}

/** Parses the auth service environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  const e = loadEnv(schema, env);
  const production = e.NODE_ENV === 'production';
  let bootstrapAdmin: Config['bootstrapAdmin'];
  if (e.BOOTSTRAP_ADMIN_ENABLED) {
    const password = e.BOOTSTRAP_ADMIN_PASSWORD ?? '';
    if (production && (password === '' || password === DEFAULT_BOOTSTRAP_PASSWORD)) {
      throw new ConfigError(
        'Invalid configuration:\n  BOOTSTRAP_ADMIN_PASSWORD: must be set to a non-default value when NODE_ENV=production ' +
          '(or set BOOTSTRAP_ADMIN_ENABLED=false)',
      );
    }
    if (production && password.length < 12) {
      throw new ConfigError(
        'Invalid configuration:\n  BOOTSTRAP_ADMIN_PASSWORD: must have at least 12 characters in production',
      );
    }
    bootstrapAdmin = {
      email: e.BOOTSTRAP_ADMIN_EMAIL.toLowerCase(),
      password: password || DEFAULT_BOOTSTRAP_PASSWORD,
    };
  }
  let keyEncryptionKey: Buffer | undefined;
  if (e.SIGNING_KEY_ENCRYPTION_KEY) {
    keyEncryptionKey = Buffer.from(e.SIGNING_KEY_ENCRYPTION_KEY, 'base64');
    if (keyEncryptionKey.length !== 32) {
      throw new ConfigError(
        'Invalid configuration:\n  SIGNING_KEY_ENCRYPTION_KEY: must be 32 bytes, base64-encoded',
      );
    }
  }
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    adminPort: e.ADMIN_PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    tokenTtlSec: e.TOKEN_TTL_SECONDS,
    cookieSecure: e.COOKIE_SECURE,
    bootstrapAdmin,
    lockout: { maxFailures: e.LOCKOUT_MAX_FAILURES, lockMs: e.LOCKOUT_SECONDS * 1000 },
    scryptLogN: e.SCRYPT_LOG_N,
    keyEncryptionKey,
    keyActivationDelaySec: e.KEY_ACTIVATION_DELAY_SECONDS,
    revocationPollMs: e.REVOCATION_POLL_MS,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
  });
}
