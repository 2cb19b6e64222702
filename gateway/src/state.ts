import type { ServiceState } from '@aegis/common';
import type { CompiledConfig } from './config-source/document';
import type { TenantPolicy } from './config-source/tenant-policy';
import type { RouteMatch } from './routing/route-table';

/** `ctx.state` in the gateway (`Koa<GatewayState>`, `Middleware<GatewayState>`): the request id and
 * identity as in the services, plus what the gateway's middleware adds, in the order it is set. */
export interface GatewayState extends Omit<ServiceState, 'tenant'> {
  /** The client address and the X-Forwarded-For chain as believed (TRUSTED_PROXIES). */
  clientIp: string;
  forwardedChain: string;
  /** The configuration the request is handled with, and the route it matched. */
  config?: CompiledConfig;
  match?: RouteMatch;
  /** The matched route prefix and its service (metric labels). */
  route?: string;
  upstream?: string;
  /** The verified token, and whether it came from the session cookie (then forwarded as a bearer). */
  token?: string;
  tokenFromCookie?: boolean;
  /** The caller's tenant, as configured on this gateway (set by the tenant guard). */
  tenant?: TenantPolicy;
  /** Whether the request was charged to its client address's quota (unauthenticated traffic). */
  addressCharged?: boolean;
  /** The rate-limit decision (logged). */
  limit?: unknown;
}
