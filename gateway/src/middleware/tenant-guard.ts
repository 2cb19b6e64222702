import type { Middleware } from 'koa';
import { ForbiddenError, isPlatformAdmin, type Identity } from '@aegis/common';
import type { CompiledConfig } from '../config-source/document';
import type { RouteMatch } from '../routing/route-table';

/** Tenant checks for authenticated requests (spec §3, kubernetes.md): the tenant must be configured and
 * not suspended, the route's service enabled for it, and a `tenant_id` parameter naming another
 * tenant is refused unless the caller is a platform admin. */
export function tenantGuard(): Middleware {
  return async function tenantGuardMiddleware(ctx, next) {
    const identity = ctx.state.identity as Identity | undefined;
    if (!identity) return next();
    const config = ctx.state.config as CompiledConfig;
    const match = ctx.state.match as RouteMatch;
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
    const asked = ctx.query.tenant_id;
    if (asked !== undefined && !isPlatformAdmin(identity)) {
      const values = Array.isArray(asked) ? asked : [asked];
      if (values.some((v) => v !== identity.tenantId)) {
        throw new ForbiddenError('tenant_id does not match the tenant of the token', 'cross_tenant');
      }
    }
    ctx.state.tenant = policy;
    return next();
  };
}
