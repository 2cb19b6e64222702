import type { UserRecord } from '../store/users';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public representation of a user: never the hash, never lockout internals beyond `locked`. */
export function userView(u: UserRecord, nowMs: number) {
  return {
    id: u.id,
    email: u.email,
    display_name: u.displayName,
    roles: u.roles,
    tenant_id: u.tenantId,
    active: u.active,
    locked: u.lockedUntil !== null && u.lockedUntil > nowMs,
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
    last_login_at: iso(u.lastLoginAt),
  };
}
