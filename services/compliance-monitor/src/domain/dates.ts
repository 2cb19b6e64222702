/** Calendar-date helpers on ISO `YYYY-MM-DD` strings (UTC), pure. */
const DAY_MS = 86_400_000;

const ms = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);

export function addDays(date: string, days: number): string {
  return new Date(ms(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((ms(to) - ms(from)) / DAY_MS);
}

/** The first and last day of a `YYYY-MM` period. */
export function monthBounds(period: string): { first: string; last: string; days: number } {
  let bounds = MONTHS.get(period);
  if (!bounds) {
    const [y, m] = period.split('-').map(Number) as [number, number];
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    bounds = { first: `${period}-01`, last: `${period}-${String(days).padStart(2, '0')}`, days };
    MONTHS.set(period, bounds);
  }
  return bounds;
}
/** Months are few and asked for per well and record: computed once each. */
const MONTHS = new Map<string, { first: string; last: string; days: number }>();

/** A date-looking property (`YYYY-MM-DD…`) as its date, else undefined. */
export function dateOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}
