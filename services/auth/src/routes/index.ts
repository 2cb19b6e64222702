import type { ServiceApi } from '@aegis/common';
import { internalRoutes, type InternalRouteDeps } from './internal';
import { OPENAPI_INFO } from './schemas';
import { sessionRoutes, type SessionRouteDeps } from './session';
import { tenantRoutes, type TenantRouteDeps } from './tenants';
import { userRoutes, type UserRouteDeps } from './users';

export type AuthRouteDeps = SessionRouteDeps & UserRouteDeps & InternalRouteDeps & TenantRouteDeps;

/** Every route of the auth service, and the OpenAPI document generated from them at /openapi.json
 * (where the gateway reads it). */
export function authRoutes(api: ServiceApi, deps: AuthRouteDeps): void {
  sessionRoutes(api, deps);
  userRoutes(api, deps);
  tenantRoutes(api, deps);
  internalRoutes(api, deps);
  api.serveDocument(OPENAPI_INFO, ['/openapi.json']);
}

export { OPENAPI_INFO };
