import { createServiceApi, createServiceApp, type ServiceAppDeps, type ServiceState } from '@aegis/common';
import type Koa from 'koa';
import { SERVICE_NAME } from './config';
import { authRoutes } from './routes';
import type { CookieSameSite } from './routes/context';
import { suspensionAwareVerifier } from './tenant-states';
import type { AuthCore } from './wiring';

export interface AppDeps extends ServiceAppDeps {
  core: AuthCore;
  tokenTtlSec: number;
  cookieSecure: boolean;
  /** SameSite of the session cookie (default Lax). */
  cookieSameSite?: CookieSameSite;
  bodyLimitBytes?: number;
}

/** Builds the auth service's Koa app from injected dependencies. */
export function createApp(deps: AppDeps): Koa<ServiceState> {
  const now = deps.now ?? Date.now;
  const { core } = deps;
  // Every route of the service refuses a suspended tenant's tokens (ADR 0023).
  const verifier = suspensionAwareVerifier(core.verifier, core.tenantStates);
  const api = createServiceApi({ verifier });
  authRoutes(api, {
    accounts: core.accounts,
    verifier,
    keyRing: core.keyRing,
    store: core.store,
    tenantStates: core.tenantStates,
    tokenTtlSec: deps.tokenTtlSec,
    cookie: { secure: deps.cookieSecure, sameSite: deps.cookieSameSite ?? 'Lax' },
    now,
  });

  return createServiceApp({
    ...deps,
    name: SERVICE_NAME,
    store: core.store,
    bodyLimitBytes: deps.bodyLimitBytes ?? 65_536,
    routers: [api.router],
  });
}
