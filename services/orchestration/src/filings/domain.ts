/** The forms a filing package is produced for (the checklist templates' `form_type`). */
export const FORM_TYPES = ['R-32', 'W-1'] as const;
export type FormType = (typeof FORM_TYPES)[number];

export const FILING_STATUSES = ['draft', 'in_review', 'approved', 'submitted', 'rejected'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

/**
 * A filing's lifecycle. It is produced `draft` when its checklist's approval is granted; a preparer
 * puts it `in_review`; a reviewer approves it (or returns it to `draft`, or rejects it); an approved
 * package is `submitted` to the Railroad Commission, or rejected (by the Commission). A rejected
 * package is reworked as a `draft`. `submitted` is final.
 */
export const FILING_TRANSITIONS: Readonly<Record<FilingStatus, readonly FilingStatus[]>> = {
  draft: ['in_review', 'rejected'],
  in_review: ['approved', 'draft', 'rejected'],
  approved: ['submitted', 'rejected'],
  submitted: [],
  rejected: ['draft'],
};

/** Why `from → to` is refused, or undefined when it is allowed. */
export function filingTransitionRefusal(from: FilingStatus, to: FilingStatus): string | undefined {
  if (FILING_TRANSITIONS[from].includes(to)) return undefined;
  const allowed = FILING_TRANSITIONS[from];
  return `A ${from} filing cannot become ${to}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ': it is final'}`;
}

export function isFormType(value: string): value is FormType {
  return (FORM_TYPES as readonly string[]).includes(value);
}
