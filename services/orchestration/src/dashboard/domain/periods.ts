/**
 * Periods of the dashboard, on ISO dates (UTC). Pure.
 *
 * A period is `period_days` long and ends on (includes) its `to` day: the current period is
 * (as_of − period_days, as_of], the previous one the same length ending where the current one starts,
 * (as_of − 2·period_days, as_of − period_days]. Deadline counts are a snapshot at a period's end
 * (what was overdue / due on that day, from the deadlines' dates); production anomalies belong to the
 * period in which their production month ends (a report month is complete on its last day).
 */
const DAY_MS = 86_400_000;

const epochDay = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS;

/** `date` moved by `days` (negative: earlier). */
export function shiftDate(date: string, days: number): string {
  return new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export interface Period {
  /** First day (inclusive). */
  from: string;
  /** Last day (inclusive): the day the deadline snapshot is taken. */
  to: string;
}

/** The period of `days` days ending on `to`. */
export function periodEnding(to: string, days: number): Period {
  return { from: shiftDate(to, 1 - days), to };
}

/** `count` consecutive periods of `days` days, oldest first, the last one ending on `asOf`. */
export function periodsEnding(asOf: string, days: number, count: number): Period[] {
  return Array.from({ length: count }, (_, i) =>
    periodEnding(shiftDate(asOf, -(count - 1 - i) * days), days),
  );
}

/** The last day of a `YYYY-MM` month. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Whether a production month belongs to a period: its last day falls in it. */
export function monthInPeriod(month: string, p: Period): boolean {
  const end = monthEnd(month);
  return end >= p.from && end <= p.to;
}

/** How many months, counted inclusively from the month of `from` to the month of `to`: the
 * compliance monitor's `months` that covers every production month ending in [from, to]. */
export function monthsSpanning(from: string, to: string): number {
  const index = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  return index(to) - index(from) + 1;
}
