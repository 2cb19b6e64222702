import { readSettings, writeSettings, type TenantSettings } from '../store/settings';
import { withTenantWriter } from '../store/tenant-writer';
import type { OperationDeps } from './deps';

/** Replaces the tenant's escalation defaults, with a `settings_updated` audit entry. */
export async function updateSettings(
  deps: OperationDeps,
  tenant: string,
  actor: string,
  values: { escalation_timeout_hours: number | null; escalation_reviewer_id: string | null },
): Promise<TenantSettings> {
  const key = await deps.keys.current();
  return withTenantWriter(deps.store, tenant, { now: deps.now(), key }, async (w) => {
    await writeSettings(w.tx, tenant, values, actor, w.at);
    await w.audit({ approval_id: null, action: 'settings_updated', actor_id: actor, data: values });
    return readSettings(w.tx, tenant);
  });
}
