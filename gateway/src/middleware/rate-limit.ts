import type { Middleware } from 'koa';
import { RateLimitedError, ServiceUnavailableError, type FailurePolicy } from '@aegis/common';
import { identityRuleFor } from '../config-source/tenant-policy';
import type { GatewayState } from '../state';
import { rateLimitedBody, rateLimitHeaders, type LimitCheck, type RateLimiter } from '../ratelimit';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Quota for unauthenticated traffic (per client IP) and its failure policy. */
  anonymousRule: { requestsPerMinute: number; burst: number };
  anonymousPolicy: FailurePolicy;
}

export const ANONYMOUS_TENANT = '_anonymous';

/** Spec §4: a token bucket per identity (user id; client IP when unauthenticated), the route override
 * or tenant default, plus the tenant-wide ceiling, consumed in one atomic step. */
export function rateLimit(options: RateLimitOptions): Middleware<GatewayState> {
  const anonymous = { id: 'identity', ...options.anonymousRule };
  return async function rateLimitMiddleware(ctx, next) {
    const { identity, tenant } = ctx.state;
    let checks: LimitCheck[];
    let policy: FailurePolicy;
    if (identity && tenant) {
      checks = [
        {
          tenantId: tenant.tenantId,
          rule: identityRuleFor(tenant, ctx.path),
          identity: `u:${identity.userId}`,
        },
      ];
      if (tenant.tenantRule)
        checks.push({ tenantId: tenant.tenantId, rule: tenant.tenantRule, identity: '*' });
      policy = tenant.failurePolicy;
    } else {
      checks = [{ tenantId: ANONYMOUS_TENANT, rule: anonymous, identity: `ip:${ctx.state.clientIp}` }];
      policy = options.anonymousPolicy;
    }
    const result = await options.limiter.consume(checks, policy);
    ctx.state.limit = result.decidedBy;
    if (result.decidedBy === 'closed') {
      throw new ServiceUnavailableError('Rate-limit store unavailable', 'rate_limiter_unavailable', {
        'Retry-After': '1',
      });
    }
    const headers = rateLimitHeaders(result);
    for (const [name, value] of Object.entries(headers)) ctx.res.setHeader(name, value);
    if (!result.allowed) {
      const body = rateLimitedBody(result);
      throw new RateLimitedError(body.error, body.detail, {});
    }
    return next();
  };
}
