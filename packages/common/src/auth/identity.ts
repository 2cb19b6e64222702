import { z } from 'zod';
import { ForbiddenError } from '../errors';

/** The roles of spec §2, platform administration and internal services. `viewer` reads; `operator` runs
 * agents, ingests, edits entities and events; `reviewer` decides approvals; `admin` does everything in
 * its own tenant; `platform_admin` is an admin of every tenant (granted only by another platform admin,
 * ADR 0018); `service` is an internal service's own token (client-credentials grant, ADR 0019): what an
 * operator may do, in any tenant it names, and never administration. No user holds it. */
export const ROLES = ['admin', 'operator', 'reviewer', 'viewer', 'platform_admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** A role as the APIs show it (the `Role` component of the generated OpenAPI documents). */
export const roleSchema = z.enum(ROLES).meta({
  id: 'Role',
  description:
    "`viewer` reads; `operator` runs agents, ingests, edits entities and events; `reviewer` decides approvals; `admin` administers its own tenant; `platform_admin` administers every tenant (may name another `tenant_id`) and is granted only by a platform admin; `service` is held only by internal services' own tokens (what an operator may do, in any tenant, no administration) and is never given to a user.",
});

/** The role that makes a user an admin of every tenant. */
export const PLATFORM_ADMIN_ROLE = 'platform_admin' satisfies Role;

/** The role of an internal service's token (ADR 0019). Never a user's. */
export const SERVICE_ROLE = 'service' satisfies Role;

/** The role checks a `service` token passes: those an operator passes (spec §2: operators also read). */
const SERVICE_PASSES: readonly Role[] = ['operator', 'viewer'];

/** The tenant of the bootstrap admin and the default tenant of the account tool. Being an admin of it
 * grants nothing beyond it: platform administration is the `platform_admin` role. */
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

/** Throws 403 unless the identity holds at least one of `roles`. `admin` and `platform_admin` satisfy
 * every role check, and `viewer` (reading) is satisfied by any role: operators and reviewers read too
 * (spec §2). `service` satisfies exactly the checks `operator` satisfies, never an admin-only one. */
export function requireRole(identity: Pick<Identity, 'roles'>, ...roles: Role[]): void {
  if (hasRole(identity, 'admin', PLATFORM_ADMIN_ROLE)) return;
  if (roles.includes('viewer') && identity.roles.some(isRole)) return;
  if (hasRole(identity, SERVICE_ROLE) && roles.some((r) => SERVICE_PASSES.includes(r))) return;
  if (!hasRole(identity, ...roles)) {
    throw new ForbiddenError(`Requires role: ${roles.join(' or ')}`, 'insufficient_role');
  }
}

/** A platform admin holds the `platform_admin` role: the only caller that may act on another tenant's
 * records (spec §3). An `admin` of any tenant, `default` included, is not one. */
export function isPlatformAdmin(identity: Pick<Identity, 'roles'>): boolean {
  return identity.roles.includes(PLATFORM_ADMIN_ROLE);
}

/** Who may name another tenant with `tenant_id` (spec §3): a platform admin, and an internal service's
 * token, whose scheduled work runs per tenant (ADR 0019). Only the tenant selection: a service is no
 * platform admin for anything else. */
export function mayActOnAnyTenant(identity: Pick<Identity, 'roles'>): boolean {
  return isPlatformAdmin(identity) || identity.roles.includes(SERVICE_ROLE);
}
