import { randomBytes } from 'node:crypto';
import type { AgentType, CheckpointType } from '../domain/checkpoints';
import type { ReviewerStrategy } from '../domain/decision';
import type { ProposedAction } from '../domain/modifications';
import { snapshotDigest, type Snapshot } from '../domain/snapshot';
import { insertApproval, toApproval, type Approval } from '../store/approvals';
import { withTenantWriter } from '../store/tenant-writer';
import type { OperationDeps } from './deps';

/** A new approval as `POST /approvals` validated it. */
export interface NewApproval {
  conversation_id: string;
  run_id?: string;
  agent_type: AgentType;
  checkpoint_type: CheckpointType;
  payload: Record<string, unknown> & { filing_type?: string; entity_id: string; summary: string };
  proposed_action: ProposedAction;
  context: Record<string, unknown>;
  reviewer_strategy: ReviewerStrategy;
  reviewer_id?: string;
  on_behalf_of?: string;
}

/** `apr-` and 24 hex digits (96 random bits). */
export function newApprovalId(): string {
  return `apr-${randomBytes(12).toString('hex')}`;
}

/** Stores a pending approval with its frozen snapshot, and its `created` audit entry (carrying the
 * snapshot's digest), in one transaction. The requester is the caller. */
export async function createApproval(
  deps: OperationDeps,
  tenant: string,
  requester: string,
  input: NewApproval,
): Promise<Approval> {
  const key = await deps.keys.current();
  return withTenantWriter(deps.store, tenant, { now: deps.now(), key }, async (w) => {
    const snapshot: Snapshot = {
      conversation_id: input.conversation_id,
      run_id: input.run_id ?? null,
      agent_type: input.agent_type,
      checkpoint_type: input.checkpoint_type,
      payload: input.payload,
      proposed_action: input.proposed_action,
      context: input.context,
      requested_by: requester,
      on_behalf_of: input.on_behalf_of ?? null,
      captured_at: w.at,
    };
    const digest = snapshotDigest(snapshot);
    const row = {
      approval_id: newApprovalId(),
      tenant_id: tenant,
      conversation_id: input.conversation_id,
      run_id: input.run_id ?? null,
      agent_type: input.agent_type,
      checkpoint_type: input.checkpoint_type,
      status: 'pending',
      reviewer_strategy: input.reviewer_strategy,
      reviewer_id: input.reviewer_id ?? null,
      requested_by: requester,
      on_behalf_of: input.on_behalf_of ?? null,
      payload: JSON.stringify(input.payload),
      snapshot: JSON.stringify(snapshot),
      snapshot_digest: digest,
      decided_by: null,
      decided_at: null,
      notes: null,
      modifications: null,
      effective_action: null,
      escalation_level: 0,
      escalated_at: null,
      assigned_at: w.at,
      version: 1,
      created_at: w.at,
      updated_at: w.at,
    };
    await insertApproval(w.tx, row);
    await w.audit({
      approval_id: row.approval_id,
      action: 'created',
      actor_id: requester,
      data: {
        snapshot_digest: digest,
        conversation_id: row.conversation_id,
        agent_type: row.agent_type,
        checkpoint_type: row.checkpoint_type,
        reviewer_strategy: row.reviewer_strategy,
        reviewer_id: row.reviewer_id,
      },
    });
    return toApproval(row, []);
  });
}
