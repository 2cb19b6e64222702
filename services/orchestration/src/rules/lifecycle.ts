/**
 * The lifecycle of a rule version: `draft → active → superseded | retired`.
 *
 * - A client asks for `active` (a draft goes live) or `retired` (the live version is withdrawn and
 *   the rule has no active version until another draft is activated).
 * - `superseded` is never asked for: the active version becomes superseded in the same transaction in
 *   which a newer draft of the same rule is activated, so a rule always has at most one active version
 *   and a superseded version always names a successor.
 * - `superseded` and `retired` are final: to bring old parameters back, add them as a new version.
 */
export const VERSION_STATUSES = ['draft', 'active', 'superseded', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** What a client may ask for in `POST /rules/{id}/transition`. */
export const REQUESTABLE_STATUSES = ['active', 'superseded', 'retired'] as const;
export type RequestedStatus = (typeof REQUESTABLE_STATUSES)[number];

/** A rule's own status: `draft` until a version is first activated, `active` while one is,
 * `retired` after its active version was retired (until another version is activated). */
export const RULE_STATUSES = ['draft', 'active', 'retired'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

/** Every edge of the lifecycle and who takes it. */
export const LIFECYCLE: ReadonlyArray<{
  from: VersionStatus;
  to: VersionStatus;
  by: 'request' | 'activation';
}> = [
  { from: 'draft', to: 'active', by: 'request' },
  { from: 'active', to: 'retired', by: 'request' },
  { from: 'active', to: 'superseded', by: 'activation' },
];

/**
 * Why a client may not move a version from `from` to `to` (the 409's message), or undefined when it
 * may. Pure: the store applies it inside the transaction that makes the change.
 */
export function transitionRefusal(from: VersionStatus, to: RequestedStatus): string | undefined {
  if (LIFECYCLE.some((e) => e.from === from && e.to === to && e.by === 'request')) return undefined;
  if (to === 'superseded')
    return from === 'active'
      ? 'An active version is superseded only by activating a newer version of the rule'
      : `A ${from} version cannot become superseded`;
  if (from === to) return `The version is already ${from}`;
  const allowed = LIFECYCLE.filter((e) => e.from === from && e.by === 'request').map((e) => e.to);
  return `A ${from} version cannot become ${to} (allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none, it is final'})`;
}
