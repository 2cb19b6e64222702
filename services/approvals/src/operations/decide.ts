import { ConflictError, ValidationError } from '@aegis/common';
import { decide, type Decision } from '../domain/decision';
import { applyModifications, modificationIssues, type Modifications } from '../domain/modifications';
import {
  approvalRow,
  insertVote,
  snapshotOf,
  toApproval,
  updatePendingApproval,
  votesOf,
  type Approval,
  type Vote,
} from '../store/approvals';
import { withTenantWriter } from '../store/tenant-writer';
import type { OperationDeps } from './deps';

export interface DecisionInput {
  decision: Decision;
  notes?: string;
  modifications?: Modifications;
}

/** The event a decided approval publishes (outbox `approval_decided`). */
export const DECIDED_EVENT = 'approval_decided';

/**
 * One reviewer's decision, in one transaction under the tenant's write lock: the strategy rules
 * (`decide`), the modification checked against the proposed action, the reviewer's vote, the approval
 * changed by a conditional UPDATE (`status = 'pending' AND version = v`), the audit entry, and for a
 * final decision the outbox event. Of concurrent deciders exactly one wins; the others answer 409.
 */
export async function decideApproval(
  deps: OperationDeps,
  tenant: string,
  id: string,
  reviewer: string,
  input: DecisionInput,
): Promise<Approval> {
  const key = await deps.keys.current();
  const result = await withTenantWriter(deps.store, tenant, { now: deps.now(), key }, async (w) => {
    const row = await approvalRow(w.tx, tenant, id);
    const votes = (await votesOf(w.tx, tenant, [id])).get(id) ?? [];
    const outcome = decide(
      {
        status: row.status as Approval['status'],
        reviewer_strategy: row.reviewer_strategy as Approval['reviewer_strategy'],
        reviewer_id: row.reviewer_id,
        requested_by: row.requested_by,
        on_behalf_of: row.on_behalf_of,
        votes,
      },
      reviewer,
      input.decision,
    );
    const proposed = snapshotOf(row).proposed_action;
    const modifications = input.decision === 'modified' ? (input.modifications ?? null) : null;
    if (modifications) {
      const issues = modificationIssues(proposed, modifications);
      if (issues.length > 0) throw new ValidationError(issues);
    }
    const vote: Vote = {
      reviewer_id: reviewer,
      decision: input.decision,
      notes: input.notes ?? null,
      modifications,
      created_at: w.at,
    };
    await insertVote(w.tx, tenant, id, vote);
    const effective =
      outcome.final && outcome.status !== 'rejected'
        ? applyModifications(
            proposed,
            [...votes, vote].flatMap((v) => (v.modifications ? [v.modifications] : [])),
          )
        : null;
    const changed = await updatePendingApproval(
      w.tx,
      tenant,
      id,
      Number(row.version),
      outcome.final
        ? {
            status: outcome.status,
            decided_by: reviewer,
            decided_at: w.at,
            notes: vote.notes,
            modifications: modifications ? JSON.stringify(modifications) : null,
            effective_action: effective ? JSON.stringify(effective) : null,
            updated_at: w.at,
          }
        : { updated_at: w.at },
    );
    if (!changed) throw new ConflictError('The approval was decided concurrently', 'already_decided');
    await w.audit({
      approval_id: id,
      action: outcome.final ? outcome.status : 'approval_recorded',
      actor_id: reviewer,
      data: { decision: input.decision, notes: vote.notes, modifications },
    });
    const updated = await approvalRow(w.tx, tenant, id);
    const approval = toApproval(updated, [...votes, vote]);
    if (outcome.final) {
      await w.publish({
        approval_id: id,
        event_type: DECIDED_EVENT,
        data: {
          approval_id: id,
          conversation_id: approval.conversation_id,
          run_id: approval.run_id,
          agent_type: approval.agent_type,
          checkpoint_type: approval.checkpoint_type,
          status: approval.status,
          decided_by: reviewer,
          decided_at: w.at,
          notes: vote.notes,
          effective_action: approval.effective_action,
        },
      });
    }
    return { approval, final: outcome.final };
  });
  if (result.final) deps.signal.notify(tenant);
  return result.approval;
}
