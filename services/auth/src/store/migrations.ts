import type { Migration } from '@aegis/common';

/** The auth schema. Times are epoch milliseconds (BIGINT) except the token-time columns, which are
 * epoch seconds like the JWT claims. Flags are INTEGER 0/1 on both stores. */
export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_users',
    up: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        email TEXT NOT NULL,
        display_name TEXT,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until BIGINT,
        login_version INTEGER NOT NULL DEFAULT 0,
        tokens_valid_from BIGINT,
        status_changed_at BIGINT NOT NULL,
        last_login_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX users_email_key ON users (email);
      CREATE INDEX users_tenant_created ON users (tenant_id, created_at);
      CREATE INDEX users_status_changed ON users (status_changed_at);
    `,
  },
  {
    id: '0002_signing_keys',
    up: `
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        private_jwk TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        activates_at BIGINT NOT NULL,
        retires_at BIGINT
      );
    `,
  },
  {
    id: '0003_revoked_tokens',
    up: `
      CREATE TABLE revoked_tokens (
        jti TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT NOT NULL
      );
      CREATE INDEX revoked_tokens_revoked_at ON revoked_tokens (revoked_at);
      CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);
    `,
  },
  {
    // Tenant state the operator reports (PUT /auth/tenants/{tenant_id}/state): a suspended tenant's
    // users get no tokens and their tokens stop working (ADR 0023).
    id: '0004_tenant_states',
    up: `
      CREATE TABLE tenant_states (
        tenant_id TEXT PRIMARY KEY,
        suspended INTEGER NOT NULL DEFAULT 0,
        updated_at BIGINT NOT NULL
      );
    `,
  },
];

/** True for a unique-constraint violation on either store (the store's portable classification). */
export { isUniqueViolation } from '@aegis/common';
