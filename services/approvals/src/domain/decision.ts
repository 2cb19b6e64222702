import { ConflictError, ForbiddenError } from '@aegis/common';

export const REVIEWER_STRATEGIES = ['named_individual', 'any_reviewer', 'four_eyes'] as const;
export type ReviewerStrategy = (typeof REVIEWER_STRATEGIES)[number];

export const DECISIONS = ['approved', 'rejected', 'modified'] as const;
export type Decision = (typeof DECISIONS)[number];

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'modified'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Distinct approvers a four-eyes approval needs. */
export const FOUR_EYES_APPROVERS = 2;

/** What the rules need to know of an approval. */
export interface DecisionSubject {
  status: ApprovalStatus;
  reviewer_strategy: ReviewerStrategy;
  reviewer_id: string | null;
  requested_by: string;
  on_behalf_of: string | null;
  /** Reviewers' recorded decisions so far (four-eyes: the first approval). */
  votes: readonly { reviewer_id: string; decision: Decision }[];
}

/** The outcome of one reviewer's decision: the approval is decided (`final`, with its new status), or
 * the decision is recorded and the approval stays pending (four-eyes, first approval). */
export type DecisionOutcome = { final: true; status: Exclude<ApprovalStatus, 'pending'> } | { final: false };

/**
 * The reviewer-strategy rules. The caller is the reviewer (from the verified token, never the body).
 * - a decided approval answers 409 `already_decided`;
 * - `named_individual`: only the assigned reviewer (`reviewer_id`, which escalation may change) decides;
 * - `any_reviewer`: any reviewer decides at once;
 * - `four_eyes`: two different reviewers must approve (or modify); neither the requester nor the user
 *   the request was made for may decide; one rejection decides at once; a reviewer who already
 *   approved answers 409 `already_voted`.
 */
export function decide(subject: DecisionSubject, caller: string, decision: Decision): DecisionOutcome {
  if (subject.status !== 'pending') {
    throw new ConflictError(`The approval was already decided (${subject.status})`, 'already_decided');
  }
  switch (subject.reviewer_strategy) {
    case 'named_individual':
      if (caller !== subject.reviewer_id) {
        throw new ForbiddenError('Only the named reviewer may decide this approval', 'not_assigned_reviewer');
      }
      return { final: true, status: decision };
    case 'any_reviewer':
      return { final: true, status: decision };
    case 'four_eyes': {
      if (caller === subject.requested_by || caller === subject.on_behalf_of) {
        throw new ForbiddenError(
          'The requester may not decide their own four-eyes approval',
          'self_approval',
        );
      }
      if (subject.votes.some((v) => v.reviewer_id === caller)) {
        throw new ConflictError(
          'This reviewer already approved; a second reviewer must decide',
          'already_voted',
        );
      }
      if (decision === 'rejected') return { final: true, status: 'rejected' };
      const approvals = [...subject.votes.map((v) => v.decision), decision];
      if (approvals.length < FOUR_EYES_APPROVERS) return { final: false };
      return { final: true, status: approvals.includes('modified') ? 'modified' : 'approved' };
    }
  }
}
