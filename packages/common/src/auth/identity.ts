import { ForbiddenError } from '../errors';

/** The four roles of spec §2. `viewer` reads; `operator` runs agents, ingests, edits entities and events;
 * `reviewer` decides approvals; `admin` does everything. */
export const ROLES = ['admin', 'operator', 'reviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The tenant whose admins are platform admins (may act on every tenant). */
export const PLATFORM_TENANT = 'default';

/** Who is calling, as proven by a verified token. */
export interface Identity {
  userId: string;
  email: string;
  displayName: string | null;
  roles: Role[];
  tenantId: string;
  /** Token id (revocation key). */
  jti: string;
  /** Expiry and issue time, seconds since the epoch. */
  exp: number;
  iat: number;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(identity: Pick<Identity, 'roles'>, ...roles: Role[]): boolean {
  return roles.some((r) => identity.roles.includes(r));
}

/** Throws 403 unless the identity holds at least one of `roles`. `admin` satisfies every role check,
 * and `viewer` (reading) is satisfied by any role: operators and reviewers read too (spec §2). */
export function requireRole(identity: Pick<Identity, 'roles'>, ...roles: Role[]): void {
  if (identity.roles.includes('admin')) return;
  if (roles.includes('viewer') && identity.roles.some(isRole)) return;
  if (!hasRole(identity, ...roles)) {
    throw new ForbiddenError(`Requires role: ${roles.join(' or ')}`, 'insufficient_role');
  }
}

/** A platform admin is an `admin` of the platform tenant (`default`): the only caller that may act on
 * another tenant's records (spec §3). */
export function isPlatformAdmin(
  identity: Pick<Identity, 'roles' | 'tenantId'>,
  platformTenant = PLATFORM_TENANT,
): boolean {
  return identity.tenantId === platformTenant && identity.roles.includes('admin');
}
