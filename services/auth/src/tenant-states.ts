import fs from 'node:fs';
import {
  ForbiddenError,
  PLATFORM_TENANT,
  readTenantResources,
  TenantFileError,
  type Identity,
  type Logger,
  type Store,
  type TokenVerifier,
} from '@aegis/common';
import { findTenantState } from './store/tenant-states';

/** Whether a tenant is suspended, from the two places the platform says so (ADR 0023):
 * - the store, where the operator reports each AegisTenant's `spec.suspended`
 *   (PUT /auth/tenants/{tenant_id}/state), in Kubernetes;
 * - the local tenant file the gateway reads too (TENANTS_FILE, `config/tenants.yaml`), watched.
 * Either one saying "suspended" suspends the tenant; the platform tenant (`default`, where platform
 * admins live) never is, so a suspension cannot lock the platform out of its own administration. */
export interface TenantStates {
  isSuspended(tenantId: string): Promise<boolean>;
  /** The tenants the file suspends (for logs and tests). */
  fileSuspended(): ReadonlySet<string>;
  close(): void;
}

export interface TenantStatesOptions {
  store: Store;
  /** '' = no file. A missing file suspends nobody until it appears. */
  tenantsFile: string;
  logger: Logger;
  /** How often the file's modification time is checked (default 500 ms: well inside the 2 s in
   * which a suspension must reach login). */
  pollMs?: number;
}

export const tenantSuspended = (tenantId: string) =>
  new ForbiddenError(`Tenant ${tenantId} is suspended`, 'tenant_suspended');

export function createTenantStates(options: TenantStatesOptions): TenantStates {
  const { store, tenantsFile, logger } = options;
  let suspended: ReadonlySet<string> = new Set();
  const load = () => {
    if (!fs.existsSync(tenantsFile)) {
      suspended = new Set();
      return;
    }
    try {
      suspended = new Set(
        readTenantResources(tenantsFile)
          .filter((t) => t.suspended)
          .map((t) => t.tenantId),
      );
      logger.info({ file: tenantsFile, suspended: [...suspended] }, 'Loaded tenant states from file');
    } catch (err) {
      // The last good state stays, as in the gateway: a typo does not lift a suspension.
      const issues = err instanceof TenantFileError ? err.issues : [(err as Error).message];
      logger.error({ file: tenantsFile, issues }, 'Kept the previous tenant states: tenant file invalid');
    }
  };
  if (tenantsFile) {
    load();
    fs.watchFile(tenantsFile, { interval: options.pollMs ?? 500, persistent: false }, load);
  }
  return {
    async isSuspended(tenantId) {
      // Platform admins live in the platform tenant; it is never suspended here (the gateway still
      // applies the tenant file to its users' API calls).
      if (tenantId === PLATFORM_TENANT) return false;
      if (suspended.has(tenantId)) return true;
      return (await findTenantState(store, tenantId)).suspended;
    },
    fileSuspended: () => suspended,
    close() {
      if (tenantsFile) fs.unwatchFile(tenantsFile, load);
    },
  };
}

/** The verifier of the auth service's own routes: a valid token of a suspended tenant answers 403
 * `tenant_suspended`, as the gateway answers it for every other route. */
export function suspensionAwareVerifier(verifier: TokenVerifier, states: TenantStates): TokenVerifier {
  return {
    async verify(token: string): Promise<Identity> {
      const identity = await verifier.verify(token);
      if (await states.isSuspended(identity.tenantId)) throw tenantSuspended(identity.tenantId);
      return identity;
    },
    reloadKeys: () => verifier.reloadKeys(),
    get jwksLoads() {
      return verifier.jwksLoads;
    },
    close: () => verifier.close(),
  };
}
