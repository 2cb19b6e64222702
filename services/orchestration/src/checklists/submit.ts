import { ConflictError, NotFoundError, UpstreamError, type Logger } from '@aegis/common';
import { ApprovalsClientError, type ApprovalsClient } from '@aegis/approvals';
import { unsettledItems, type ChecklistStatus, type ItemStatus } from './domain';
import {
  assertEditable,
  checklistView,
  getChecklist,
  newId,
  requireChecklist,
  type ChecklistOpsDeps,
} from './operations';
import { artifactRows } from './store/artifacts';
import {
  findChecklistByApproval,
  insertException,
  itemRows,
  touchChecklist,
  updateChecklistIfVersion,
  updateItem,
} from './store/checklists';
import type { ChecklistsStore } from './store/schema';
import { artifactView, type ChecklistView } from './views';

export interface SubmitDeps extends ChecklistOpsDeps {
  /** The approvals client, calling with the orchestration's service token (ADR 0019). */
  approvals: ApprovalsClient;
  logger?: Logger;
}

/** The tool a granted checklist approval stands for (the filing wave hangs the package on it). */
export const SUBMIT_TOOL = 'submit_filing';

/**
 * `POST /checklists/{id}/submit`: every required item complete or under an exception (409
 * `checklist_incomplete` naming the others), then a `pre_filing` approval in the approvals service
 * for the user, with the items, exceptions and artifact hashes frozen in its snapshot; the checklist
 * goes to `in_review` with the approval id. A change to the checklist between the check and the
 * status update is a 409 (the approval created for the stale state is then never acted on: its
 * decision finds no checklist).
 */
export async function submitChecklist(
  deps: SubmitDeps,
  tenant: string,
  userId: string,
  checklistId: string,
  input: { summary?: string },
): Promise<ChecklistView> {
  const row = await requireChecklist(deps.store, tenant, checklistId);
  if (!(['open', 'rejected'] as ChecklistStatus[]).includes(row.status as ChecklistStatus))
    throw new ConflictError(
      `Checklist ${checklistId} is ${row.status}: it cannot be submitted`,
      'illegal_transition',
    );
  const view = await checklistView(deps.store, tenant, row);
  const missing = unsettledItems(view.items);
  if (missing.length > 0)
    throw new ConflictError(
      `Required items are not complete: ${missing.map((i) => `#${i.index} ${i.label} (${i.status})`).join('; ')}`,
      'checklist_incomplete',
    );
  const artifacts = (await artifactRows(deps.store, tenant, checklistId)).map(artifactView);
  const summary =
    input.summary ??
    `${row.form_type} for ${row.entity_label} ${row.entity_id}: ${view.progress.required_settled} of ${view.progress.required} required items settled, ${view.exceptions.length} exception(s), ${artifacts.length} artifact(s)`;
  let approvalId: string;
  try {
    const approval = await deps.approvals.create(tenant, {
      conversation_id: checklistId,
      agent_type: row.agent_type as 'rule_32' | 'rule_37',
      checkpoint_type: 'pre_filing',
      payload: {
        filing_type: row.form_type,
        entity_id: row.entity_id,
        summary,
        checklist_id: checklistId,
        entity_label: row.entity_label,
      },
      proposed_action: {
        tool_name: SUBMIT_TOOL,
        description: `File ${row.form_type} for ${row.entity_label} ${row.entity_id} from checklist ${checklistId}`,
        arguments: {
          checklist_id: checklistId,
          form_type: row.form_type,
          entity_id: row.entity_id,
          entity_label: row.entity_label,
          template_id: row.template_id,
          template_version: Number(row.template_version),
        },
      },
      context: {
        title: row.title,
        items: view.items.map((i) => ({
          index: i.index,
          label: i.label,
          item_type: i.item_type,
          required: i.required,
          status: i.status,
          exception_reason: i.exception_reason,
        })),
        exceptions: view.exceptions,
        artifacts: artifacts.map((a) => ({
          artifact_id: a.artifact_id,
          item_index: a.item_index,
          filename: a.filename,
          media_type: a.media_type,
          size_bytes: a.size_bytes,
          sha256: a.sha256,
        })),
      },
      reviewer_strategy: 'any_reviewer',
      on_behalf_of: userId,
    });
    approvalId = approval.approval_id;
  } catch (err) {
    if (err instanceof ApprovalsClientError) {
      deps.logger?.error(
        { status: err.status, checklist_id: checklistId },
        'Approvals refused a checklist submission',
      );
      throw new UpstreamError('The approvals service refused the submission', 'approvals_unavailable');
    }
    throw err;
  }
  const at = new Date(deps.now()).toISOString();
  const changed = await updateChecklistIfVersion(deps.store, tenant, checklistId, Number(row.version), {
    status: 'in_review',
    approval_id: approvalId,
    submitted_at: at,
    decided_at: null,
    rejection_reason: null,
    updated_at: at,
  });
  if (!changed)
    throw new ConflictError(
      `Checklist ${checklistId} changed while it was being submitted: submit again`,
      'conflict',
    );
  return getChecklist(deps, tenant, checklistId);
}

/**
 * `POST /checklists/{id}/exception`: records an exception with its reason, for one item (which then
 * counts as settled: status `exception`) or for the whole checklist (a note the reviewer sees).
 */
export async function recordException(
  deps: ChecklistOpsDeps,
  tenant: string,
  userId: string,
  checklistId: string,
  input: { item_index?: number; reason: string },
): Promise<ChecklistView> {
  const at = new Date(deps.now()).toISOString();
  await deps.store.transaction(async (tx) => {
    const row = await requireChecklist(tx, tenant, checklistId);
    if (input.item_index !== undefined) {
      const item = (await itemRows(tx, tenant, [checklistId])).find(
        (i) => Number(i.item_index) === input.item_index,
      );
      if (!item) throw new NotFoundError(`Checklist ${checklistId} has no item ${input.item_index}`);
      assertEditable(row);
      const status = item.status as ItemStatus;
      if (status === 'complete' || status === 'exception')
        throw new ConflictError(
          `Item ${input.item_index} is ${status}: an exception is for an item that cannot be completed`,
          'illegal_transition',
        );
      await updateItem(tx, tenant, checklistId, input.item_index, {
        status: 'exception',
        exception_reason: input.reason,
        updated_by: userId,
        updated_at: at,
      });
    } else {
      assertEditable(row);
    }
    if ((await touchChecklist(tx, tenant, checklistId, at)) === undefined)
      throw new ConflictError(
        `Checklist ${checklistId} changed meanwhile: read it and try again`,
        'conflict',
      );
    await insertException(tx, {
      exception_id: newId('exc'),
      tenant_id: tenant,
      checklist_id: checklistId,
      item_index: input.item_index ?? null,
      reason: input.reason,
      created_by: userId,
      created_at: at,
    });
  });
  return getChecklist(deps, tenant, checklistId);
}

/**
 * `POST /checklists/{id}/reject`: an open checklist is returned (rejected, with the reason) before it
 * was submitted. One in review is decided through its approval (`POST /approvals/{id}/decide`), so
 * the approval and the checklist never disagree: 409 naming the approval.
 */
export async function rejectChecklist(
  deps: ChecklistOpsDeps,
  tenant: string,
  checklistId: string,
  input: { reason: string },
): Promise<ChecklistView> {
  const row = await requireChecklist(deps.store, tenant, checklistId);
  if (row.status === 'in_review')
    throw new ConflictError(
      `Checklist ${checklistId} is in review: decide its approval ${row.approval_id} instead`,
      'illegal_transition',
    );
  if (row.status !== 'open')
    throw new ConflictError(
      `Checklist ${checklistId} is ${row.status}: it cannot be rejected`,
      'illegal_transition',
    );
  const at = new Date(deps.now()).toISOString();
  const changed = await updateChecklistIfVersion(deps.store, tenant, checklistId, Number(row.version), {
    status: 'rejected',
    rejection_reason: input.reason,
    decided_at: at,
    updated_at: at,
  });
  if (!changed)
    throw new ConflictError(`Checklist ${checklistId} changed meanwhile: read it and try again`, 'conflict');
  return getChecklist(deps, tenant, checklistId);
}

/**
 * Moves the checklist whose approval was decided: `approved` (decision approved or modified) or
 * `rejected` (with the reviewer's notes as the reason). Called by the orchestration's approval-outbox
 * consumer for every `approval_decided` event (`decision` is the event's `data.status`, `notes` its
 * `data.notes`); answers undefined when the approval is not a checklist's, the status is not a final
 * decision, or the checklist already left `in_review` (a replayed event): calling it twice changes
 * nothing.
 */
export async function onChecklistApprovalDecided(
  store: ChecklistsStore,
  tenant: string,
  approvalId: string,
  decision: string,
  options: { notes?: string | null; now?: () => number } = {},
): Promise<ChecklistView | undefined> {
  const to = DECISION_OUTCOME[decision];
  if (!to) return undefined;
  const at = new Date((options.now ?? Date.now)()).toISOString();
  for (;;) {
    const row = await findChecklistByApproval(store, tenant, approvalId);
    if (!row || row.status !== 'in_review') return undefined;
    const changed = await updateChecklistIfVersion(store, tenant, row.checklist_id, Number(row.version), {
      status: to,
      rejection_reason: to === 'rejected' ? options.notes || 'Rejected by the reviewer' : null,
      decided_at: at,
      updated_at: at,
    });
    // Lost a race with another change of the row: read it again (it may have left in_review).
    if (changed) return getChecklist({ store }, tenant, row.checklist_id);
  }
}

const DECISION_OUTCOME: Readonly<Record<string, 'approved' | 'rejected' | undefined>> = {
  approved: 'approved',
  modified: 'approved',
  rejected: 'rejected',
};
