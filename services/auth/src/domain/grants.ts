import {
  ForbiddenError,
  isPlatformAdmin,
  PLATFORM_ADMIN_ROLE,
  SERVICE_ROLE,
  ValidationError,
  type Identity,
  type Role,
} from '@aegis/common';

/** Who asks for an account change through the API. The account tool (`aegis-users`), which works on
 * the store directly, has no actor: whoever can open the store is the platform's operator. */
export type Actor = Pick<Identity, 'userId' | 'roles'>;

const required = (message: string) => new ForbiddenError(message, 'platform_admin_required');

/**
 * Platform administration is granted only deliberately (ADR 0018): only a platform admin gives a user
 * `platform_admin` (a tenant admin cannot, not even to themself), and only a platform admin changes a
 * user who holds it (a tenant admin of the same tenant could otherwise reset its password and log in
 * as it). Throws 403 `platform_admin_required`.
 */
export function checkPlatformGrant(
  actor: Actor | undefined,
  target: { roles: readonly Role[] } | undefined,
  roles: readonly Role[] | undefined,
): void {
  if (actor === undefined || isPlatformAdmin(actor)) return;
  if (target?.roles.includes(PLATFORM_ADMIN_ROLE))
    throw required('Only a platform admin changes a platform admin');
  if (roles?.includes(PLATFORM_ADMIN_ROLE)) throw required('Only a platform admin grants platform_admin');
}

/** `service` is the role of internal services' own tokens (ADR 0019): no user is given it, by the API
 * or the account tool, whoever asks. 422 naming the `roles` field. */
export function checkAssignableRoles(roles: readonly Role[]): void {
  const at = roles.indexOf(SERVICE_ROLE);
  if (at >= 0) {
    throw ValidationError.single(
      ['body', 'roles', at],
      'service is reserved for internal services and cannot be given to a user',
      'reserved_role',
    );
  }
}
