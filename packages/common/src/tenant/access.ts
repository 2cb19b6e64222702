import { mayActOnAnyTenant, type Identity } from '../auth/identity';
import { ForbiddenError } from '../errors';

/**
 * The one cross-tenant rule (spec §3), used by the gateway and by every service: a request acts on
 * the tenant of its token; a `tenant_id` parameter naming another tenant is refused with 403
 * `cross_tenant` unless the caller is a platform admin (role `platform_admin`; an `admin` of tenant
 * `default` is not one) or an internal service (role `service`, ADR 0019), who then acts on the tenant
 * asked for. A repeated parameter must name one tenant.
 */
export function resolveTenant(
  identity: Pick<Identity, 'roles' | 'tenantId'>,
  requested: string | readonly string[] | undefined,
): string {
  if (requested === undefined) return identity.tenantId;
  const values = typeof requested === 'string' ? [requested] : [...new Set(requested)];
  if (values.length === 0) return identity.tenantId;
  if (!mayActOnAnyTenant(identity) && values.some((v) => v !== identity.tenantId)) {
    throw new ForbiddenError('tenant_id does not match the tenant of the token', 'cross_tenant');
  }
  if (values.length > 1) {
    throw new ForbiddenError('tenant_id names more than one tenant', 'cross_tenant');
  }
  return values[0];
}
