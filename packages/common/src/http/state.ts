import type { Identity } from '../auth/identity';

/** The one declared shape of `ctx.state` in a service (`Koa<ServiceState>`, `Router<ServiceState>`):
 * set by the service kit's middleware, read by handlers without casts. */
export interface ServiceState {
  /** The request id (taken from `X-Request-Id` when well-formed, otherwise generated). */
  requestId: string;
  /** The verified caller, set by `authorize` before any handler that needs one runs. */
  identity?: Identity;
  /** The tenant every query of this request is scoped to (the token's, or the one a platform admin
   * asked for with `tenant_id`). */
  tenant?: string;
}
