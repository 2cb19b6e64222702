/** Calendar-date helpers on ISO `YYYY-MM-DD` strings (UTC), pure. */
const DAY_MS = 86_400_000;

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / DAY_MS,
  );
}

/** Deadline alert level (domain.md "Production and other filings"): CRITICAL when overdue or due within
 * 7 days, WARNING within 30 days, INFO otherwise. */
export function deadlineLevel(daysUntilDue: number): 'CRITICAL' | 'WARNING' | 'INFO' {
  if (daysUntilDue <= 7) return 'CRITICAL';
  if (daysUntilDue <= 30) return 'WARNING';
  return 'INFO';
}
