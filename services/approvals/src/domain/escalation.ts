const HOUR_MS = 3_600_000;

/** Spec §8: `timeout_hours` defaults to 24. */
export const DEFAULT_TIMEOUT_HOURS = 24;

/**
 * The latest assignment time that has timed out at `now`: an approval assigned at or before it has
 * waited `timeoutHours` or more. Exactly at the timeout counts as timed out; one millisecond before
 * does not.
 */
export function escalationCutoff(now: number, timeoutHours: number): string {
  return new Date(now - Math.round(timeoutHours * HOUR_MS)).toISOString();
}
