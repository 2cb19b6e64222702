import { listPage, type PageParams } from '@aegis/common';
import type { MemoryDb } from './schema';

/** A skill injected into a conversation (domain.md: the injection ledger). */
export interface Injection {
  skill_id: string;
  injected_at: string;
}

export type LedgerSortColumn = 'injected_at' | 'skill_id';

/** One page of the skills injected into a conversation. */
export async function listInjections(
  db: MemoryDb,
  tenant: string,
  conversationId: string,
  params: PageParams<LedgerSortColumn>,
): Promise<{ rows: Injection[]; total: number }> {
  const query = db.db
    .selectFrom('skill_injections')
    .select(['skill_id', 'injected_at'])
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId);
  return listPage(query, params, { tiebreaker: 'skill_id' });
}

/** Which of `skillIds` the conversation has already been given. */
export async function injectedAmong(
  db: MemoryDb,
  tenant: string,
  conversationId: string,
  skillIds: readonly string[],
): Promise<Set<string>> {
  const rows = await db.db
    .selectFrom('skill_injections')
    .select('skill_id')
    .where('tenant_id', '=', tenant)
    .where('conversation_id', '=', conversationId)
    .where('skill_id', 'in', [...skillIds])
    .execute();
  return new Set(rows.map((r) => r.skill_id));
}

/**
 * Records the skills as injected and returns the ones this call recorded. One statement, `ON CONFLICT
 * DO NOTHING ... RETURNING`: the primary key decides, so of concurrent marks of one skill exactly one
 * sees it newly marked, on both stores.
 */
export async function markInjected(
  db: MemoryDb,
  tenant: string,
  conversationId: string,
  skillIds: readonly string[],
  at: string,
): Promise<Set<string>> {
  if (skillIds.length === 0) return new Set();
  const rows = await db.db
    .insertInto('skill_injections')
    .values(
      skillIds.map((skill_id) => ({
        tenant_id: tenant,
        conversation_id: conversationId,
        skill_id,
        injected_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'conversation_id', 'skill_id']).doNothing())
    .returning('skill_id')
    .execute();
  return new Set(rows.map((r) => r.skill_id));
}
