import type { Middleware } from 'koa';
import { ForbiddenError, resolveTenant, type Identity } from '@aegis/common';
import type { CompiledConfig } from '../config-source/document';
import type { TenantPolicy } from '../config-source/tenant-policy';
import type { RouteMatch } from '../routing/route-table';
import type { GatewayState } from '../state';

/** The caller's tenant policy after the checks of `tenantGuard`; throws the 403 that applies.
 * `requested` is the request's `tenant_id` query value(s). */
export function guardTenant(
  identity: Identity,
  config: CompiledConfig,
  match: RouteMatch,
  requested: string | readonly string[] | undefined,
): TenantPolicy {
  const policy = config.tenants.get(identity.tenantId);
  if (!policy)
    throw new ForbiddenError(
      `Tenant ${identity.tenantId} is not configured on this gateway`,
      'unknown_tenant',
    );
  if (policy.suspended)
    throw new ForbiddenError(`Tenant ${identity.tenantId} is suspended`, 'tenant_suspended');
  if (!policy.services.has(match.route.service)) {
    throw new ForbiddenError(
      `Service ${match.route.service} is not enabled for this tenant`,
      'service_not_enabled',
    );
  }
  resolveTenant(identity, requested);
  return policy;
}

/** Tenant checks for authenticated requests (spec §3, kubernetes.md): the tenant must be configured and
 * not suspended, the route's service enabled for it, and `tenant_id` passes the one cross-tenant rule
 * every service applies too (`resolveTenant`: another tenant only for a platform admin or an internal service, one at a time). */
export function tenantGuard(): Middleware<GatewayState> {
  return async function tenantGuardMiddleware(ctx, next) {
    const { identity, config, match } = ctx.state;
    if (!identity) return next();
    if (!config || !match) throw new Error('tenantGuard runs after routing');
    ctx.state.tenant = guardTenant(identity, config, match, ctx.query.tenant_id);
    return next();
  };
}
