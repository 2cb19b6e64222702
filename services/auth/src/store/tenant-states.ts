import type { AuthDb } from './schema';

export interface TenantStateRecord {
  tenantId: string;
  suspended: boolean;
  /** Epoch ms of the last change; null when no state was ever reported. */
  updatedAt: number | null;
}

/** The reported state of a tenant; a tenant nobody reported on is not suspended. */
export async function findTenantState({ db }: AuthDb, tenantId: string): Promise<TenantStateRecord> {
  const row = await db
    .selectFrom('tenant_states')
    .select(['suspended', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return {
    tenantId,
    suspended: row ? Number(row.suspended) === 1 : false,
    updatedAt: row ? Number(row.updated_at) : null,
  };
}

/** Records a tenant's state (an upsert); `updated_at` moves only when the state changes. */
export async function writeTenantState(
  store: AuthDb,
  tenantId: string,
  suspended: boolean,
  nowMs: number,
): Promise<TenantStateRecord> {
  const flag = suspended ? 1 : 0;
  await store.db
    .insertInto('tenant_states')
    .values({ tenant_id: tenantId, suspended: flag, updated_at: nowMs })
    .onConflict((oc) =>
      oc
        .column('tenant_id')
        .doUpdateSet({ suspended: flag, updated_at: nowMs })
        .where('tenant_states.suspended', '<>', flag),
    )
    .execute();
  return findTenantState(store, tenantId);
}
