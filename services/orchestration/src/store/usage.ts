import type { OrchestrationDb } from './schema';

/** What a tenant's agent spent on a UTC day. */
export interface Spent {
  tokens: number;
  cost_usd: number;
}

/** Adds to the day's usage (one statement: concurrent runs of the agent both count). */
export async function addDailyUsage(
  { db }: OrchestrationDb,
  tenant: string,
  agentId: string,
  day: string,
  spent: Spent,
): Promise<void> {
  await db
    .insertInto('daily_usage')
    .values({ tenant_id: tenant, agent_id: agentId, day, tokens: spent.tokens, cost_usd: spent.cost_usd })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'agent_id', 'day']).doUpdateSet((eb) => ({
        tokens: eb('daily_usage.tokens', '+', eb.ref('excluded.tokens')),
        cost_usd: eb('daily_usage.cost_usd', '+', eb.ref('excluded.cost_usd')),
      })),
    )
    .execute();
}

export async function dailyUsage(
  { db }: OrchestrationDb,
  tenant: string,
  agentId: string,
  day: string,
): Promise<Spent> {
  const row = await db
    .selectFrom('daily_usage')
    .select(['tokens', 'cost_usd'])
    .where('tenant_id', '=', tenant)
    .where('agent_id', '=', agentId)
    .where('day', '=', day)
    .executeTakeFirst();
  return { tokens: Number(row?.tokens ?? 0), cost_usd: Number(row?.cost_usd ?? 0) };
}

export async function approvalCursor({ db }: OrchestrationDb, tenant: string): Promise<number> {
  const row = await db
    .selectFrom('approval_cursors')
    .select('after_seq')
    .where('tenant_id', '=', tenant)
    .executeTakeFirst();
  return Number(row?.after_seq ?? 0);
}

export async function saveApprovalCursor(
  { db }: OrchestrationDb,
  tenant: string,
  after: number,
  at: string,
): Promise<void> {
  await db
    .insertInto('approval_cursors')
    .values({ tenant_id: tenant, after_seq: after, updated_at: at })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ after_seq: after, updated_at: at }))
    .execute();
}
