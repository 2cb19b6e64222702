import {
  type ServiceKit,
  createRevocationChecker,
  createSealer,
  createTokenVerifier,
  PLATFORM_TENANT,
  type Logger,
  type RevocationChecker,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import { Counter } from 'prom-client';
import { createAccounts, type Accounts, type LoginOutcome } from './accounts';
import { DEFAULT_BOOTSTRAP_PASSWORD, type Config } from './config';
import { createPasswordHasher, type PasswordHasher } from './domain/password';
import { createKeyRing, type KeyRing } from './store/keyring';
import { AUTH_MIGRATIONS } from './store/migrations';
import { revocationFeed } from './store/revocations';
import { createTenantStates, type TenantStates } from './tenant-states';

/** Clock tolerance verifiers allow; keys stay published this much longer than their last token. */
export const CLOCK_TOLERANCE_SEC = 5;

export type CoreConfig = Pick<
  Config,
  'tokenTtlSec' | 'lockout' | 'scryptLogN' | 'keyEncryptionKey' | 'keyActivationDelaySec' | 'revocationPollMs'
> &
  Partial<Pick<Config, 'serviceClientSecret' | 'serviceTokenTtlSec' | 'tenantsFile'>>;

/** Everything the HTTP app and the CLI share, built over one open store. */
export interface AuthCore {
  store: Store;
  hasher: PasswordHasher;
  keyRing: KeyRing;
  revocation: RevocationChecker;
  verifier: TokenVerifier;
  accounts: Accounts;
  /** Which tenants are suspended (the operator's reports and the local tenant file). */
  tenantStates: TenantStates;
  close(): void;
}

export interface AuthCoreOptions {
  store: Store;
  config: CoreConfig;
  logger: Logger;
  onLogin?: (outcome: LoginOutcome) => void;
  now?: () => number;
  /** Start the revocation poller (the HTTP service); the CLI does not need it. */
  pollRevocations?: boolean;
}

export async function migrateAuthStore(store: Store): Promise<void> {
  await store.migrate('auth', AUTH_MIGRATIONS);
}

export function createAuthCore(options: AuthCoreOptions): AuthCore {
  const { store, config, logger } = options;
  const now = options.now ?? Date.now;
  const hasher = createPasswordHasher({ logN: config.scryptLogN, r: 8, p: 1 });
  const keyRing = createKeyRing({
    store,
    sealer: createSealer(config.keyEncryptionKey, 'SIGNING_KEY_ENCRYPTION_KEY'),
    policy: {
      tokenTtlSec: config.tokenTtlSec,
      toleranceSec: CLOCK_TOLERANCE_SEC,
      activationDelaySec: config.keyActivationDelaySec,
    },
    now,
  });
  const revocation = createRevocationChecker({
    fetchFeed: (since) =>
      revocationFeed(store, since === undefined ? undefined : Number(since), now(), config.tokenTtlSec),
    pollIntervalMs: options.pollRevocations === false ? 2 ** 31 - 1 : config.revocationPollMs,
    logger,
    now,
  });
  const verifier = createTokenVerifier({
    jwks: () => keyRing.jwks(),
    refreshMinIntervalMs: 1000,
    clockToleranceSec: CLOCK_TOLERANCE_SEC,
    revocation,
    logger,
    now,
  });
  const tenantStates = createTenantStates({ store, tenantsFile: config.tenantsFile ?? '', logger });
  const accounts = createAccounts({
    store,
    isSuspended: (tenantId) => tenantStates.isSuspended(tenantId),
    hasher,
    keyRing,
    revocation,
    tokenTtlSec: config.tokenTtlSec,
    serviceClientSecret: config.serviceClientSecret,
    serviceTokenTtlSec: config.serviceTokenTtlSec,
    lockout: config.lockout,
    logger,
    onLogin: options.onLogin,
    onKeysRotated: () => verifier.reloadKeys(),
    now,
  });
  return {
    store,
    hasher,
    keyRing,
    revocation,
    verifier,
    accounts,
    tenantStates,
    close() {
      tenantStates.close();
      verifier.close();
      revocation.close();
    },
  };
}

/** The HTTP service's start-up over the service kit: counts logins, makes sure a signing key exists
 * and creates the bootstrap admin (warning when it has the local default password). */
export async function startAuthCore(kit: ServiceKit<Config>): Promise<AuthCore> {
  const { config, logger, store } = kit;
  const logins = new Counter({
    name: 'aegis_auth_logins_total',
    help: 'Login attempts by outcome.',
    labelNames: ['outcome'] as const,
    registers: [kit.metrics.registry],
  });
  const core = createAuthCore({ store, config, logger, onLogin: (outcome) => logins.inc({ outcome }) });
  kit.onClose(() => core.close());
  await core.keyRing.ensureKey();
  const admin = await core.accounts.bootstrap(config.bootstrapAdmin, PLATFORM_TENANT);
  if (admin && config.bootstrapAdmin?.password === DEFAULT_BOOTSTRAP_PASSWORD) {
    logger.warn(
      { email: admin.email },
      'Created the bootstrap admin with the local default password; change it',
    );
  }
  if (config.production && !config.keyEncryptionKey) {
    logger.warn('Stored private signing keys unencrypted: set SIGNING_KEY_ENCRYPTION_KEY in production');
  }
  return core;
}

export { PLATFORM_TENANT };
