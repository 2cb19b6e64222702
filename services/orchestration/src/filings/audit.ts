import type { ApprovalsClient } from '@aegis/approvals';
import type { Logger } from '@aegis/common';
import { getFilingRow, markAudited, unauditedEvents } from './store/filings';
import type { FilingsStore } from './store/schema';

export interface FilingAuditDeps {
  store: FilingsStore;
  /** The approvals client calling with the orchestration's service token (ADR 0019). */
  approvals: ApprovalsClient;
  logger?: Logger;
}

/**
 * Sends the tenant's status changes not yet in the approvals audit trail (of one filing, or all),
 * oldest first, each as a `filing_status_changed` entry of the filing's approval
 * (`POST /approvals/{id}/audit`), and records the entry's seq. The change is committed first and sent
 * after, so a failing approvals service never loses or blocks one: it stays pending (its `audit_seq`
 * null), the next change or production of the tenant sends it again, and `flushFilingAudit` can be
 * called on a schedule. Stops at the first failure so the trail keeps the order. Answers how many
 * were sent.
 */
export async function flushFilingAudit(
  deps: FilingAuditDeps,
  tenant: string,
  filingId?: string,
): Promise<number> {
  let sent = 0;
  const filings = new Map<string, { approval_id: string; form_type: string } | undefined>();
  for (const event of await unauditedEvents(deps.store, tenant, filingId)) {
    if (!filings.has(event.filing_id))
      filings.set(event.filing_id, await getFilingRow(deps.store, tenant, event.filing_id));
    const filing = filings.get(event.filing_id);
    if (!filing) continue;
    try {
      const entry = await deps.approvals.appendAudit(tenant, filing.approval_id, {
        event: 'filing_status_changed',
        data: {
          filing_id: event.filing_id,
          form_type: filing.form_type,
          from: event.from_status,
          to: event.to_status,
          changed_by: event.actor_id,
          ...(event.reason === null ? {} : { reason: event.reason }),
        },
      });
      await markAudited(deps.store, tenant, event.filing_id, Number(event.seq), entry.seq);
      sent += 1;
    } catch (err) {
      deps.logger?.warn(
        { err, tenant, filing_id: event.filing_id, seq: Number(event.seq) },
        'Failed to record a filing status change in the approvals audit trail; it stays pending',
      );
      break;
    }
  }
  return sent;
}
