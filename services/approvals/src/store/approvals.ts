import { listPage, NotFoundError, type PageParams, type Selectable, type Updateable } from '@aegis/common';
import type { ApprovalStatus, Decision, ReviewerStrategy } from '../domain/decision';
import type { AgentType, CheckpointType } from '../domain/checkpoints';
import type { Modifications, ProposedAction } from '../domain/modifications';
import type { Snapshot } from '../domain/snapshot';
import type { ApprovalsDb, ApprovalsTable } from './schema';

/** One reviewer's recorded decision. */
export interface Vote {
  reviewer_id: string;
  decision: Decision;
  notes: string | null;
  modifications: Modifications | null;
  created_at: string;
}

/** An approval as the API shows it (without the snapshot, which `GET /approvals/{id}` adds). */
export interface Approval {
  approval_id: string;
  tenant_id: string;
  conversation_id: string;
  run_id: string | null;
  agent_type: AgentType;
  checkpoint_type: CheckpointType;
  status: ApprovalStatus;
  reviewer_strategy: ReviewerStrategy;
  reviewer_id: string | null;
  requested_by: string;
  on_behalf_of: string | null;
  payload: Record<string, unknown>;
  proposed_action: ProposedAction;
  votes: Vote[];
  decision: {
    decision: Decision;
    decided_by: string;
    decided_at: string;
    notes: string | null;
    modifications: Modifications | null;
  } | null;
  effective_action: ProposedAction | null;
  escalation_level: number;
  escalated_at: string | null;
  assigned_at: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export type ApprovalRow = Selectable<ApprovalsTable>;

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function snapshotOf(row: ApprovalRow): Snapshot {
  return JSON.parse(row.snapshot) as Snapshot;
}

export function toApproval(row: ApprovalRow, votes: Vote[]): Approval {
  const status = row.status as ApprovalStatus;
  return {
    approval_id: row.approval_id,
    tenant_id: row.tenant_id,
    conversation_id: row.conversation_id,
    run_id: row.run_id,
    agent_type: row.agent_type as AgentType,
    checkpoint_type: row.checkpoint_type as CheckpointType,
    status,
    reviewer_strategy: row.reviewer_strategy as ReviewerStrategy,
    reviewer_id: row.reviewer_id,
    requested_by: row.requested_by,
    on_behalf_of: row.on_behalf_of,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    proposed_action: snapshotOf(row).proposed_action,
    votes,
    decision:
      status === 'pending' || row.decided_by === null || row.decided_at === null
        ? null
        : {
            decision: status,
            decided_by: row.decided_by,
            decided_at: row.decided_at,
            notes: row.notes,
            modifications: json<Modifications>(row.modifications),
          },
    effective_action: json<ProposedAction>(row.effective_action),
    escalation_level: Number(row.escalation_level),
    escalated_at: row.escalated_at,
    assigned_at: row.assigned_at,
    version: Number(row.version),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function insertApproval({ db }: ApprovalsDb, row: ApprovalRow): Promise<void> {
  await db.insertInto('approvals').values(row).execute();
}

export async function findApprovalRow(
  { db }: ApprovalsDb,
  tenant: string,
  id: string,
): Promise<ApprovalRow | undefined> {
  return db
    .selectFrom('approvals')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('approval_id', '=', id)
    .executeTakeFirst();
}

/** The approval's row; 404 when the tenant has none of that id (another tenant's is indistinguishable). */
export async function approvalRow(db: ApprovalsDb, tenant: string, id: string): Promise<ApprovalRow> {
  const row = await findApprovalRow(db, tenant, id);
  if (!row) throw new NotFoundError('Approval not found');
  return row;
}

export async function votesOf(
  { db }: ApprovalsDb,
  tenant: string,
  ids: readonly string[],
): Promise<Map<string, Vote[]>> {
  const out = new Map<string, Vote[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('approval_votes')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('approval_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('reviewer_id')
    .execute();
  for (const r of rows) {
    out.get(r.approval_id)?.push({
      reviewer_id: r.reviewer_id,
      decision: r.decision as Decision,
      notes: r.notes,
      modifications: json<Modifications>(r.modifications),
      created_at: r.created_at,
    });
  }
  return out;
}

export async function insertVote(
  { db }: ApprovalsDb,
  tenant: string,
  approvalId: string,
  vote: Vote,
): Promise<void> {
  await db
    .insertInto('approval_votes')
    .values({
      tenant_id: tenant,
      approval_id: approvalId,
      reviewer_id: vote.reviewer_id,
      decision: vote.decision,
      notes: vote.notes,
      modifications: vote.modifications === null ? null : JSON.stringify(vote.modifications),
      created_at: vote.created_at,
    })
    .execute();
}

/**
 * Applies `set` only if the approval is still pending at `version` (and bumps the version): one
 * conditional UPDATE, so of two writers that read the same version exactly one changes the row, on
 * both stores. False when another writer got there first.
 */
export async function updatePendingApproval(
  { db }: ApprovalsDb,
  tenant: string,
  id: string,
  version: number,
  set: Omit<
    Updateable<ApprovalsTable>,
    'version' | 'approval_id' | 'tenant_id' | 'snapshot' | 'snapshot_digest'
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('approvals')
    .set({ ...set, version: version + 1 })
    .where('tenant_id', '=', tenant)
    .where('approval_id', '=', id)
    .where('status', '=', 'pending')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const APPROVAL_SORTABLE = [
  'created_at',
  'updated_at',
  'assigned_at',
  'status',
  'checkpoint_type',
] as const;
export type ApprovalSortable = (typeof APPROVAL_SORTABLE)[number];

export interface ApprovalFilter {
  status?: ApprovalStatus;
  agent_type?: AgentType;
  checkpoint_type?: CheckpointType;
  reviewer_id?: string;
  reviewer_strategy?: ReviewerStrategy;
  conversation_id?: string;
  requested_by?: string;
  from?: string;
  to?: string;
}

export async function listApprovals(
  store: ApprovalsDb,
  tenant: string,
  filter: ApprovalFilter,
  params: PageParams<ApprovalSortable>,
): Promise<{ rows: Approval[]; total: number }> {
  let query = store.db.selectFrom('approvals').selectAll().where('tenant_id', '=', tenant);
  for (const column of [
    'status',
    'agent_type',
    'checkpoint_type',
    'reviewer_id',
    'reviewer_strategy',
    'conversation_id',
    'requested_by',
  ] as const) {
    const value = filter[column];
    if (value !== undefined) query = query.where(column, '=', value);
  }
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('created_at', '<=', filter.to);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'approval_id' });
  const votes = await votesOf(
    store,
    tenant,
    rows.map((r) => r.approval_id),
  );
  return { rows: rows.map((r) => toApproval(r, votes.get(r.approval_id) ?? [])), total };
}

/** Pending approvals of the tenant whose current assignment started at or before `cutoff`. */
export async function timedOutApprovals(
  { db }: ApprovalsDb,
  tenant: string,
  cutoff: string,
): Promise<ApprovalRow[]> {
  return db
    .selectFrom('approvals')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('status', '=', 'pending')
    .where('assigned_at', '<=', cutoff)
    .orderBy('assigned_at')
    .orderBy('approval_id')
    .execute();
}

/** Tenants with at least one pending approval (what the escalation sweep visits). */
export async function tenantsWithPending({ db }: ApprovalsDb): Promise<string[]> {
  const rows = await db
    .selectFrom('approvals')
    .select('tenant_id')
    .distinct()
    .where('status', '=', 'pending')
    .orderBy('tenant_id')
    .execute();
  return rows.map((r) => r.tenant_id);
}
