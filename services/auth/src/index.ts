export { createApp, type AppDeps } from './app';
export { loadConfig, DEFAULT_BOOTSTRAP_PASSWORD, SERVICE_NAME, type Config } from './config';
export {
  createAuthCore,
  migrateAuthStore,
  CLOCK_TOLERANCE_SEC,
  type AuthCore,
  type AuthCoreOptions,
  type CoreConfig,
} from './wiring';
export { createAccounts, invalidCredentials, type Accounts, type LoginOutcome } from './accounts';
export { AUTH_MIGRATIONS } from './store/migrations';
export { createPasswordHasher, type PasswordHasher } from './domain/password';
export { OPENAPI_INFO } from './routes';
export { createKeyRing, generateSigningKey, type KeyRing } from './store/keyring';
export { revocationFeed, revokeToken, purgeExpiredRevocations, FEED_OVERLAP_MS } from './store/revocations';
export {
  findUserByEmail,
  findUser,
  listUsers,
  writeLoginState,
  insertUser,
  type UserRecord,
} from './store/users';
export { findTenantState, writeTenantState, type TenantStateRecord } from './store/tenant-states';
export {
  createTenantStates,
  suspensionAwareVerifier,
  type TenantStates,
  type TenantStatesOptions,
} from './tenant-states';
