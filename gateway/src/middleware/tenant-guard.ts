import type { Middleware } from 'koa';
import { ForbiddenError, resolveTenant } from '@aegis/common';
import type { GatewayState } from '../state';

/** Tenant checks for authenticated requests (spec §3, kubernetes.md): the tenant must be configured and
 * not suspended, the route's service enabled for it, and `tenant_id` passes the one cross-tenant rule
 * every service applies too (`resolveTenant`: another tenant only for a platform admin or an internal service, one at a time). */
export function tenantGuard(): Middleware<GatewayState> {
  return async function tenantGuardMiddleware(ctx, next) {
    const { identity, config, match } = ctx.state;
    if (!identity) return next();
    if (!config || !match) throw new Error('tenantGuard runs after routing');
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
    resolveTenant(identity, ctx.query.tenant_id);
    ctx.state.tenant = policy;
    return next();
  };
}
