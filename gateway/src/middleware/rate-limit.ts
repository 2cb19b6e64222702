import type { ServerResponse } from 'node:http';
import type { Middleware, ParameterizedContext } from 'koa';
import {
  LruCache,
  RateLimitedError,
  ServiceUnavailableError,
  tokenFromRequest,
  type FailurePolicy,
  type Identity,
} from '@aegis/common';
import { identityRuleFor, type TenantPolicy } from '../config-source/tenant-policy';
import type { GatewayState } from '../state';
import {
  rateLimitedBody,
  rateLimitHeaders,
  type LimitCheck,
  type LimitResult,
  type RateLimiter,
} from '../ratelimit';
import { isPublicRequest } from './authenticate';

export const ANONYMOUS_TENANT = '_anonymous';

type GatewayContext = ParameterizedContext<GatewayState>;

/** What the limit steps read and write of a request: `ctx.state` on the Koa path, the proxied path's
 * own state (gateway/src/proxied.ts). */
export type LimitState = Pick<GatewayState, 'clientIp' | 'addressCharged' | 'limit'>;

/** Applies a decision to the response: its headers, 503 when the store is down and the policy is
 * Closed, 429 (spec §4) when a bucket is empty. */
export function enforce(state: LimitState, res: ServerResponse, result: LimitResult): void {
  state.limit = result.decidedBy;
  if (result.decidedBy === 'closed') {
    throw new ServiceUnavailableError('Rate-limit store unavailable', 'rate_limiter_unavailable', {
      'Retry-After': '1',
    });
  }
  for (const [name, value] of Object.entries(rateLimitHeaders(result))) res.setHeader(name, value);
  if (!result.allowed) {
    const body = rateLimitedBody(result);
    throw new RateLimitedError(body.error, body.detail, {});
  }
}

export interface AddressLimitOptions {
  limiter: RateLimiter;
  /** Quota for unauthenticated traffic, per client address (spec §4: the gateway default). */
  rule: { requestsPerMinute: number; burst: number };
  policy: FailurePolicy;
  /** Most refused addresses, and most recently verified tokens, remembered (default 10 000 each). */
  maxRemembered?: number;
  now?: () => number;
}

/**
 * The quota of unauthenticated traffic (spec §4: per client address), kept before token verification
 * so that a flood is refused without verifying anything. A request is charged to its address's bucket
 * when it carries no token or goes to a public route, and when its token fails verification. While an
 * address's bucket is empty (it was refused, until its Retry-After), a request from it is charged
 * before verification too unless its token is one this gateway verified recently: a flood of forged
 * tokens then costs one limiter call each, and the address's authenticated users (behind the same
 * NAT or proxy) keep their own quotas. A token never seen before from a refused address is charged
 * like the rest of the address's unverified traffic.
 */
export function createAddressLimit(options: AddressLimitOptions) {
  const rule = { id: 'identity', ...options.rule };
  const max = options.maxRemembered ?? 10_000;
  const now = options.now ?? Date.now;
  /** Address → until when (ms) its bucket was found empty. */
  const refused = new LruCache<string, number>(max);
  /** Token → its expiry (ms), for tokens that passed verification here. */
  const verified = new LruCache<string, number>(max);

  const isRefused = (address: string): boolean => {
    const until = refused.get(address);
    if (until === undefined) return false;
    if (until > now()) return true;
    refused.delete(address);
    return false;
  };
  const isKnown = (token: string): boolean => (verified.get(token) ?? 0) > now();

  const checksOf = (address: string): LimitCheck[] => [
    { tenantId: ANONYMOUS_TENANT, rule, identity: `ip:${address}` },
  ];
  /** Whether a request is charged to its address before routing and verification: it carries no
   * token or goes to a public route, or its address is being refused and its token is not known. */
  const chargedBefore = (clientIp: string, method: string, path: string, token: string | undefined) =>
    token === undefined || isPublicRequest(method, path) || (isRefused(clientIp) && !isKnown(token));
  /** Applies the decision on a charge to the address (the caller marked the state charged). */
  const settle = (state: LimitState, res: ServerResponse, result: LimitResult): void => {
    if (!result.allowed) refused.set(state.clientIp, now() + Math.max(1, result.retryAfterSeconds) * 1000);
    enforce(state, res, result);
  };
  const charge = async (ctx: GatewayContext): Promise<void> => {
    ctx.state.addressCharged = true;
    settle(ctx.state, ctx.res, await options.limiter.consume(checksOf(ctx.state.clientIp), options.policy));
  };
  /** Before routing and verification: charges what will not be verified, and unknown tokens from an
   * address that is being refused. */
  const beforeVerification: Middleware<GatewayState> = async function addressLimitMiddleware(ctx, next) {
    const token = tokenFromRequest(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
    if (chargedBefore(ctx.state.clientIp, ctx.method, ctx.path, token)) await charge(ctx);
    return next();
  };
  /** After a token failed verification: the request counts as unauthenticated traffic (a 429 then
   * replaces the 401 once the address's bucket is empty). */
  const afterRejection = async (ctx: GatewayContext): Promise<void> => {
    if (!ctx.state.addressCharged) await charge(ctx);
  };
  /** After a token passed verification: remembered until it expires. */
  const afterVerification = (token: string, expiresAtSec: number): void => {
    verified.set(token, expiresAtSec * 1000);
  };
  return {
    beforeVerification,
    afterRejection,
    afterVerification,
    chargedBefore,
    checksOf,
    settle,
    policy: options.policy,
  };
}

export type AddressLimit = ReturnType<typeof createAddressLimit>;

export interface RateLimitOptions {
  limiter: RateLimiter;
}

/** Spec §4 for authenticated requests: a token bucket per identity (user id), the route override or
 * tenant default, plus the tenant-wide ceiling, consumed in one atomic step. Unauthenticated requests
 * were charged to their address before verification (`createAddressLimit`). */
export function rateLimit(options: RateLimitOptions): Middleware<GatewayState> {
  return async function rateLimitMiddleware(ctx, next) {
    const { identity, tenant } = ctx.state;
    if (!identity || !tenant) return next();
    enforce(
      ctx.state,
      ctx.res,
      await options.limiter.consume(identityChecks(identity, tenant, ctx.path), tenant.failurePolicy),
    );
    return next();
  };
}

/** The checks of an authenticated request: the identity's bucket (the route override or the tenant
 * default) and the tenant-wide ceiling when the tenant has one. */
export function identityChecks(identity: Identity, tenant: TenantPolicy, path: string): LimitCheck[] {
  const checks: LimitCheck[] = [
    { tenantId: tenant.tenantId, rule: identityRuleFor(tenant, path), identity: `u:${identity.userId}` },
  ];
  if (tenant.tenantRule) checks.push({ tenantId: tenant.tenantId, rule: tenant.tenantRule, identity: '*' });
  return checks;
}
