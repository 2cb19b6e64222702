import type { ApprovalsDb } from './schema';

/** A tenant's escalation defaults as the API shows them. */
export interface TenantSettings {
  tenant_id: string;
  /** Hours a pending approval waits before escalation (null: the service's configured default). */
  escalation_timeout_hours: number | null;
  /** Who timed-out approvals are reassigned to (null: not reassigned, only marked escalated). */
  escalation_reviewer_id: string | null;
  updated_by: string | null;
  updated_at: string | null;
}

export async function readSettings({ db }: ApprovalsDb, tenant: string): Promise<TenantSettings> {
  const row = await db
    .selectFrom('approval_settings')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .executeTakeFirst();
  return {
    tenant_id: tenant,
    escalation_timeout_hours:
      row?.escalation_timeout_hours == null ? null : Number(row.escalation_timeout_hours),
    escalation_reviewer_id: row?.escalation_reviewer_id ?? null,
    updated_by: row?.updated_by ?? null,
    updated_at: row?.updated_at ?? null,
  };
}

export async function writeSettings(
  { db }: ApprovalsDb,
  tenant: string,
  values: { escalation_timeout_hours: number | null; escalation_reviewer_id: string | null },
  by: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('approval_settings')
    .values({ tenant_id: tenant, ...values, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...values, updated_by: by, updated_at: at }))
    .execute();
}
