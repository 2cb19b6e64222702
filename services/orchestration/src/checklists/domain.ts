/**
 * The lifecycles of a checklist and of its items: pure rules, no I/O.
 *
 * Item: `pending → in_progress → complete | not_applicable`, and back (`complete → in_progress`
 * reopens, `not_applicable → pending`, `in_progress → pending`); `exception` is reached only through
 * `POST /checklists/{id}/exception` and left only to `pending` (withdrawn). A required item is never
 * `not_applicable` (it needs an exception instead), and a required document item is `complete` only
 * with an artifact attached.
 *
 * Checklist: `open → in_review` (submit: an approval is pending), `in_review → approved | rejected`
 * (the approval's decision, or `POST /reject`), `open → rejected` (abandoned), `rejected → in_review`
 * (resubmitted after rework: the items are editable again while rejected). Items and artifacts change
 * only while the checklist is `open` or `rejected`; `approved` is final.
 */
export const ITEM_STATUSES = ['pending', 'in_progress', 'complete', 'not_applicable', 'exception'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** What `PATCH …/items/{idx}` may set (`exception` has its own endpoint, with a reason). */
export const SETTABLE_ITEM_STATUSES = ['pending', 'in_progress', 'complete', 'not_applicable'] as const;

export const ITEM_TRANSITIONS: Readonly<Record<ItemStatus, readonly ItemStatus[]>> = {
  pending: ['in_progress', 'complete', 'not_applicable'],
  in_progress: ['pending', 'complete', 'not_applicable'],
  complete: ['in_progress'],
  not_applicable: ['pending'],
  exception: ['pending'],
};

export const CHECKLIST_STATUSES = ['open', 'in_review', 'approved', 'rejected'] as const;
export type ChecklistStatus = (typeof CHECKLIST_STATUSES)[number];

/** Statuses in which items and artifacts may change. */
export const EDITABLE_STATUSES: readonly ChecklistStatus[] = ['open', 'rejected'];

export interface ItemFacts {
  index: number;
  label: string;
  status: ItemStatus;
  required: boolean;
  item_type: string;
}

/** Why an item may not move from its status to `to`; undefined when it may (same status: a no-op). */
export function itemTransitionRefusal(
  item: ItemFacts,
  to: ItemStatus,
  artifacts: number,
): string | undefined {
  if (item.status === to) return undefined;
  if (!ITEM_TRANSITIONS[item.status].includes(to))
    return `Item ${item.index} cannot go from ${item.status} to ${to} (allowed: ${ITEM_TRANSITIONS[item.status].join(', ')})`;
  if (to === 'not_applicable' && item.required)
    return `Item ${item.index} is required: record an exception instead of marking it not_applicable`;
  if (to === 'complete' && item.required && item.item_type === 'document' && artifacts === 0)
    return `Item ${item.index} is a required document: attach an artifact before completing it`;
  return undefined;
}

/** A required item is settled for submission when complete or under a recorded exception; optional
 * items never hold a submission back. */
export function isSettled(item: Pick<ItemFacts, 'status' | 'required'>): boolean {
  return !item.required || item.status === 'complete' || item.status === 'exception';
}

/** The items that keep a checklist from being submitted. */
export function unsettledItems<T extends Pick<ItemFacts, 'status' | 'required'>>(items: readonly T[]): T[] {
  return items.filter((i) => !isSettled(i));
}

export function isEditable(status: ChecklistStatus): boolean {
  return EDITABLE_STATUSES.includes(status);
}
