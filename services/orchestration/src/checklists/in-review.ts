import type { ChecklistsStore } from './store/schema';

/** The compliance domain a checklist's form belongs to (the dashboard's matrix columns). */
const DOMAIN_OF_AGENT: Readonly<Record<string, 'rule_32' | 'rule_37' | undefined>> = {
  rule_32: 'rule_32',
  rule_37: 'rule_37',
};

/**
 * The entities with a checklist in review, and the domains of those filings: what the compliance
 * dashboard shows as `in_review`.
 */
export async function checklistsInReview(
  store: ChecklistsStore,
  tenant: string,
): Promise<Map<string, ('rule_32' | 'rule_37')[]>> {
  const rows = await store.db
    .selectFrom('checklists')
    .select(['entity_id', 'agent_type'])
    .where('tenant_id', '=', tenant)
    .where('status', '=', 'in_review')
    .execute();
  const out = new Map<string, ('rule_32' | 'rule_37')[]>();
  for (const r of rows) {
    const domain = DOMAIN_OF_AGENT[r.agent_type];
    if (!domain) continue;
    const list = out.get(r.entity_id) ?? [];
    if (!list.includes(domain)) list.push(domain);
    out.set(r.entity_id, list);
  }
  return out;
}
