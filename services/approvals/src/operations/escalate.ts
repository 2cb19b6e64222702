import { escalationCutoff } from '../domain/escalation';
import { timedOutApprovals, updatePendingApproval } from '../store/approvals';
import { readSettings } from '../store/settings';
import { withTenantWriter } from '../store/tenant-writer';
import type { OperationDeps } from './deps';

export interface EscalationRequest {
  /** Hours since the current assignment after which a pending approval escalates (default: the
   * tenant's setting, else ESCALATION_TIMEOUT_HOURS). */
  timeout_hours?: number;
  /** Reassign to this user (default: the tenant's escalation reviewer, else not reassigned). */
  reassign_to?: string;
}

export interface Escalated {
  approval_id: string;
  from_reviewer_id: string | null;
  to_reviewer_id: string | null;
  escalation_level: number;
}

export interface EscalationResult {
  tenant_id: string;
  timeout_hours: number;
  reassign_to: string | null;
  escalated: Escalated[];
}

/** The actor of escalations the scheduled sweep makes. */
export const SWEEP_ACTOR = 'system:approvals-escalation';

/**
 * Escalates the tenant's pending approvals whose current assignment is `timeout_hours` old or older
 * (exactly at the timeout included): each is reassigned (when there is someone to reassign to), its
 * escalation level grows, its assignment clock restarts (so it escalates again only after another
 * timeout), and an `escalated` audit entry is written; all in one transaction.
 */
export async function escalateApprovals(
  deps: OperationDeps,
  tenant: string,
  actor: string,
  request: EscalationRequest,
): Promise<EscalationResult> {
  const key = await deps.keys.current();
  return withTenantWriter(deps.store, tenant, { now: deps.now(), key }, async (w) => {
    const settings = await readSettings(w.tx, tenant);
    const timeoutHours =
      request.timeout_hours ?? settings.escalation_timeout_hours ?? deps.escalationTimeoutHours;
    const reassignTo = request.reassign_to ?? settings.escalation_reviewer_id;
    const due = await timedOutApprovals(w.tx, tenant, escalationCutoff(Date.parse(w.at), timeoutHours));
    const escalated: Escalated[] = [];
    for (const row of due) {
      const to = reassignTo ?? row.reviewer_id;
      const level = Number(row.escalation_level) + 1;
      const changed = await updatePendingApproval(w.tx, tenant, row.approval_id, Number(row.version), {
        reviewer_id: to,
        escalation_level: level,
        escalated_at: w.at,
        assigned_at: w.at,
        updated_at: w.at,
      });
      if (!changed) continue;
      const item = {
        approval_id: row.approval_id,
        from_reviewer_id: row.reviewer_id,
        to_reviewer_id: to,
        escalation_level: level,
      };
      await w.audit({
        approval_id: row.approval_id,
        action: 'escalated',
        actor_id: actor,
        data: { ...item, timeout_hours: timeoutHours },
      });
      escalated.push(item);
    }
    return { tenant_id: tenant, timeout_hours: timeoutHours, reassign_to: reassignTo, escalated };
  });
}
