import path from 'node:path';
import {
  configLoader,
  envBool,
  envInt,
  envString,
  invalidEnv,
  serviceEnvSchema,
  serviceSettings,
} from '@aegis/common';
import { z } from 'zod';
import { MIN_SERVICE_SECRET_LENGTH } from './domain/client-credentials';
import { COOKIE_SAME_SITE } from './routes/context';

export const SERVICE_NAME = 'auth';
/** Local-only default password of the bootstrap admin (documented in the README); refused in production. */
export const DEFAULT_BOOTSTRAP_PASSWORD = 'aegis-dev-admin';
/** The repository's local tenant file, the gateway's default TENANTS_FILE too. */
export const LOCAL_TENANTS_FILE = path.resolve(__dirname, '..', '..', '..', 'config', 'tenants.yaml');

/** The auth service environment and the configuration it parses into. */
export const configSchema = serviceEnvSchema(SERVICE_NAME)
  .extend({
    BODY_LIMIT_BYTES: envInt(65_536, 1024, 10 * 1024 * 1024),
    TOKEN_TTL_SECONDS: envInt(86_400, 60, 30 * 86_400),
    COOKIE_SECURE: envBool(false),
    COOKIE_SAME_SITE: z.enum(COOKIE_SAME_SITE).default('Lax'),
    BOOTSTRAP_ADMIN_ENABLED: envBool(true),
    BOOTSTRAP_ADMIN_EMAIL: envString('admin@aegis.local').pipe(z.email()),
    BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
    LOCKOUT_MAX_FAILURES: envInt(5, 1, 1000),
    LOCKOUT_SECONDS: envInt(900, 1, 86_400),
    SCRYPT_LOG_N: envInt(15, 10, 20),
    SIGNING_KEY_ENCRYPTION_KEY: z.string().optional(),
    KEY_ACTIVATION_DELAY_SECONDS: envInt(15, 0, 86_400),
    REVOCATION_POLL_MS: envInt(1000, 100, 60_000),
    SERVICE_CLIENT_SECRET: z.string().optional(),
    SERVICE_TOKEN_TTL_SECONDS: envInt(600, 60, 3600),
    /** The local tenant file the gateway reads too; its suspended tenants cannot log in (ADR 0023).
     * Default: config/tenants.yaml of the repository, except in production (empty: none). */
    TENANTS_FILE: z.string().optional(),
  })
  .transform((e, ctx) => {
    const service = serviceSettings(e);
    let bootstrapAdmin: { email: string; password: string } | undefined;
    if (e.BOOTSTRAP_ADMIN_ENABLED) {
      const password = e.BOOTSTRAP_ADMIN_PASSWORD ?? '';
      if (service.production && (password === '' || password === DEFAULT_BOOTSTRAP_PASSWORD)) {
        return invalidEnv(
          ctx,
          'BOOTSTRAP_ADMIN_PASSWORD',
          'must be set to a non-default value when NODE_ENV=production (or set BOOTSTRAP_ADMIN_ENABLED=false)',
        );
      }
      if (service.production && password.length < 12) {
        return invalidEnv(ctx, 'BOOTSTRAP_ADMIN_PASSWORD', 'must have at least 12 characters in production');
      }
      bootstrapAdmin = {
        email: e.BOOTSTRAP_ADMIN_EMAIL.toLowerCase(),
        password: password || DEFAULT_BOOTSTRAP_PASSWORD,
      };
    }
    if (e.COOKIE_SAME_SITE === 'None' && !e.COOKIE_SECURE) {
      // Browsers drop a SameSite=None cookie that is not Secure.
      return invalidEnv(ctx, 'COOKIE_SAME_SITE', 'None needs COOKIE_SECURE=true');
    }
    const serviceClientSecret = e.SERVICE_CLIENT_SECRET || undefined;
    if (serviceClientSecret !== undefined && serviceClientSecret.length < MIN_SERVICE_SECRET_LENGTH) {
      return invalidEnv(
        ctx,
        'SERVICE_CLIENT_SECRET',
        `must have at least ${MIN_SERVICE_SECRET_LENGTH} characters (or be unset: no service tokens)`,
      );
    }
    /** 32-byte AES-256-GCM key sealing private signing keys in the store; undefined = stored in clear. */
    let keyEncryptionKey: Buffer | undefined;
    if (e.SIGNING_KEY_ENCRYPTION_KEY) {
      keyEncryptionKey = Buffer.from(e.SIGNING_KEY_ENCRYPTION_KEY, 'base64');
      if (keyEncryptionKey.length !== 32) {
        return invalidEnv(ctx, 'SIGNING_KEY_ENCRYPTION_KEY', 'must be 32 bytes, base64-encoded');
      }
    }
    return {
      ...service,
      tokenTtlSec: e.TOKEN_TTL_SECONDS,
      cookieSecure: e.COOKIE_SECURE,
      cookieSameSite: e.COOKIE_SAME_SITE,
      bootstrapAdmin,
      lockout: { maxFailures: e.LOCKOUT_MAX_FAILURES, lockMs: e.LOCKOUT_SECONDS * 1000 },
      scryptLogN: e.SCRYPT_LOG_N,
      keyEncryptionKey,
      keyActivationDelaySec: e.KEY_ACTIVATION_DELAY_SECONDS,
      revocationPollMs: e.REVOCATION_POLL_MS,
      /** Unset: the client-credentials grant is refused (ADR 0019). */
      serviceClientSecret,
      serviceTokenTtlSec: e.SERVICE_TOKEN_TTL_SECONDS,
      tenantsFile: e.TENANTS_FILE ?? (service.production ? '' : LOCAL_TENANTS_FILE),
    };
  });

export type Config = z.output<typeof configSchema>;

/** Parses the auth service environment once; a bad value throws a ConfigError naming the variable. */
export const loadConfig = configLoader(configSchema);
