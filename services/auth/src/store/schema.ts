import type { Generated, Queryable, Store } from '@aegis/common';

/** The auth tables as the store returns them (migrations.ts creates them). Times are epoch ms
 * (BIGINT) except the token-time columns, in epoch seconds like the JWT claims; flags are 0/1. */
export interface UsersTable {
  id: string;
  tenant_id: string;
  /** Lower-cased and trimmed (normaliseEmail). */
  email: string;
  display_name: string | null;
  password_hash: string;
  /** Delimited on both sides: `,admin,viewer,` (encodeRoles). */
  roles: string;
  active: Generated<number>;
  failed_logins: Generated<number>;
  locked_until: number | null;
  login_version: Generated<number>;
  tokens_valid_from: number | null;
  status_changed_at: number;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Platform-wide signing keys (one issuer for every tenant), so no tenant_id. */
export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** Sealed private JWK. */
  private_jwk: string;
  created_at: number;
  activates_at: number;
  retires_at: number | null;
}

export interface RevokedTokensTable {
  jti: string;
  tenant_id: string;
  user_id: string;
  /** Epoch seconds (the token's exp). */
  expires_at: number;
  revoked_at: number;
}

/** The state of a tenant as the platform reports it; no row: not suspended. */
export interface TenantStatesTable {
  tenant_id: string;
  suspended: Generated<number>;
  updated_at: number;
}

export interface AuthDatabase {
  users: UsersTable;
  signing_keys: SigningKeysTable;
  revoked_tokens: RevokedTokensTable;
  tenant_states: TenantStatesTable;
}

/** The auth store or one of its transactions. */
export type AuthDb = Queryable<AuthDatabase>;
export type AuthStore = Store<AuthDatabase>;
