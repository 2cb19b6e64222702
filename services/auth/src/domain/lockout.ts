/** Account lockout: after `maxFailures` consecutive failed logins an account refuses every login for
 * `lockMs`. Attempts during the lock are neither counted nor extend it; a success resets the count.
 * Pure functions over the two stored columns. */

export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
}

export interface LockoutState {
  failedLogins: number;
  /** Epoch ms until which logins are refused, or null. */
  lockedUntil: number | null;
}

export const UNLOCKED: LockoutState = Object.freeze({ failedLogins: 0, lockedUntil: null });

export function isLocked(state: LockoutState, nowMs: number): boolean {
  return state.lockedUntil !== null && nowMs < state.lockedUntil;
}

/** The state after a failed password check. A lock that has run out starts a fresh count. */
export function afterFailure(state: LockoutState, nowMs: number, policy: LockoutPolicy): LockoutState {
  if (isLocked(state, nowMs)) return state;
  const previous = state.lockedUntil !== null ? 0 : state.failedLogins;
  const failedLogins = previous + 1;
  if (failedLogins >= policy.maxFailures) return { failedLogins: 0, lockedUntil: nowMs + policy.lockMs };
  return { failedLogins, lockedUntil: null };
}

export function afterSuccess(): LockoutState {
  return UNLOCKED;
}
