import { ConflictError, NotFoundError, requireRole, type Identity } from '@aegis/common';
import { flushFilingAudit, type FilingAuditDeps } from './audit';
import { filingTransitionRefusal, type FilingStatus } from './domain';
import { readFiling } from './produce';
import { eventRows, getFilingRow, insertEvent, updateStatusIfVersion } from './store/filings';
import type { FilingView } from './views';

export interface TransitionInput {
  to: FilingStatus;
  reason?: string;
}

/**
 * `POST /compliance/filings/{id}/transition`: one step of the lifecycle (`FILING_TRANSITIONS`; anything
 * else is 409 `illegal_transition` and changes nothing). Approving a filing in review takes a reviewer.
 * The status and its history entry commit together; the change then goes to the approval's audit trail
 * (see `flushFilingAudit`).
 */
export async function transitionFiling(
  deps: FilingAuditDeps & { now: () => number },
  tenant: string,
  identity: Pick<Identity, 'userId' | 'roles'>,
  id: string,
  input: TransitionInput,
): Promise<FilingView> {
  if (input.to === 'approved') requireRole(identity, 'reviewer');
  const at = new Date(deps.now()).toISOString();
  await deps.store.transaction(async (tx) => {
    const row = await getFilingRow(tx, tenant, id);
    if (!row) throw new NotFoundError('Filing not found');
    const from = row.status as FilingStatus;
    const refusal = filingTransitionRefusal(from, input.to);
    if (refusal) throw new ConflictError(refusal, 'illegal_transition');
    if (!(await updateStatusIfVersion(tx, tenant, id, Number(row.version), input.to, at)))
      throw new ConflictError(`Filing ${id} changed meanwhile: read it and try again`, 'conflict');
    const events = await eventRows(tx, tenant, id);
    await insertEvent(tx, {
      tenant_id: tenant,
      filing_id: id,
      seq: events.length === 0 ? 1 : Number(events[events.length - 1].seq) + 1,
      from_status: from,
      to_status: input.to,
      actor_id: identity.userId,
      reason: input.reason ?? null,
      at,
      audit_seq: null,
    });
  });
  await flushFilingAudit(deps, tenant);
  return readFiling(deps, tenant, id);
}
