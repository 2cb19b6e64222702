import type { Store } from '@aegis/common';
import { onChecklistApprovalDecided, type ChecklistsDatabase, type ChecklistsStore } from '../checklists';
import type { FilingDeps } from './produce';
import { onFilingApprovalDecided } from './produce';
import type { FilingsDatabase } from './store/schema';

/** An approvals outbox event as the service's consumer reads it. */
export interface DecisionEvent {
  approval_id: string;
  event_type: string;
  data: Record<string, unknown>;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Tenants whose approvals outbox the service must read for its checklists: one in review (its
 * approval may be decided), or approved without its filing package yet (the package failed to build
 * and the event is read again).
 */
export async function tenantsAwaitingDecisions(store: Store): Promise<string[]> {
  const { db } = store as Store<FilingsDatabase & ChecklistsDatabase>;
  const rows = await db
    .selectFrom('checklists')
    .select('checklists.tenant_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb('checklists.status', '=', 'in_review'),
        eb.and([
          eb('checklists.status', '=', 'approved'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('filings')
                .select('filings.filing_id')
                .whereRef('filings.tenant_id', '=', 'checklists.tenant_id')
                .whereRef('filings.checklist_id', '=', 'checklists.checklist_id'),
            ),
          ),
        ]),
      ]),
    )
    .execute();
  return rows.map((r) => r.tenant_id);
}

/**
 * A decided approval, for the checklist it may belong to: the checklist leaves review (approved or
 * rejected), and a granted one gets its filing package. Throws when the package cannot be built yet
 * (the graph or the flaring monitor down), so the consumer reads the event again.
 */
export async function onDecisionEvent(deps: FilingDeps, tenant: string, event: DecisionEvent): Promise<void> {
  if (event.event_type !== 'approval_decided') return;
  const status = text(event.data.status);
  if (!status) return;
  await onChecklistApprovalDecided(deps.checklists as ChecklistsStore, tenant, event.approval_id, status, {
    notes: text(event.data.notes),
    now: deps.now,
  });
  await onFilingApprovalDecided(deps, tenant, {
    approval_id: event.approval_id,
    status,
    decided_by: text(event.data.decided_by),
    decided_at: text(event.data.decided_at),
    notes: text(event.data.notes),
  });
}
