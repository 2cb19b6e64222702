/** The summary cards and the trend: counts per period and their change. Pure. */
import { monthInPeriod, type Period } from './periods';
import type { AnomalyView, Bucket, DeadlineView } from './types';

export const CARDS = ['overdue', 'due_7d', 'due_30d', 'anomalies'] as const;
export type CardKey = (typeof CARDS)[number];

/** The counts of one period: deadlines by bucket as of its last day, anomalies of its months. */
export type PeriodCounts = Record<CardKey, number>;

/** Deadlines by bucket (a snapshot on the day the monitor was asked about). */
export function deadlineCounts(
  deadlines: readonly DeadlineView[],
): Record<Exclude<Bucket, 'upcoming'>, number> {
  const out = { overdue: 0, due_7d: 0, due_30d: 0 };
  for (const d of deadlines) if (d.bucket !== 'upcoming') out[d.bucket] += 1;
  return out;
}

/** The anomalies whose production month ends in the period. */
export function anomaliesIn(anomalies: readonly AnomalyView[], p: Period): AnomalyView[] {
  return anomalies.filter((a) => monthInPeriod(a.period, p));
}

export function periodCounts(
  deadlinesAtEnd: readonly DeadlineView[],
  anomalies: readonly AnomalyView[],
  p: Period,
): PeriodCounts {
  return { ...deadlineCounts(deadlinesAtEnd), anomalies: anomaliesIn(anomalies, p).length };
}

export interface Card {
  key: CardKey;
  title: string;
  count: number;
  previous: number;
  /** count − previous: positive means worse. */
  delta: number;
  subtext: string;
}

const TITLES: Record<CardKey, string> = {
  overdue: 'Overdue',
  due_7d: 'Due within 7 days',
  due_30d: 'Due within 30 days',
  anomalies: 'Anomalies',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function change(delta: number, since: string): string {
  if (delta === 0) return `no change since ${since}`;
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta)} since ${since}`;
}

/** The four cards (spec §8: count, delta versus the previous period, subtext). `soonest` is the
 * earliest due date per deadline card in the current snapshot. */
export function summaryCards(
  current: PeriodCounts,
  previous: PeriodCounts,
  ctx: { previousEnd: string; soonest: Partial<Record<CardKey, string>>; anomalyWells: number },
): Card[] {
  const detail: Record<CardKey, string> = {
    overdue: ctx.soonest.overdue
      ? `${plural(current.overdue, 'deadline')} past due, the oldest due ${ctx.soonest.overdue}`
      : 'nothing past due',
    due_7d: ctx.soonest.due_7d
      ? `${plural(current.due_7d, 'deadline')} in 0–7 days (critical), next ${ctx.soonest.due_7d}`
      : 'nothing due in the next 7 days',
    due_30d: ctx.soonest.due_30d
      ? `${plural(current.due_30d, 'deadline')} in 8–30 days (warning), next ${ctx.soonest.due_30d}`
      : 'nothing due in 8–30 days',
    anomalies:
      current.anomalies > 0
        ? `${plural(current.anomalies, 'production anomaly', 'production anomalies')} on ${plural(ctx.anomalyWells, 'well')}`
        : 'no production anomalies',
  };
  return CARDS.map((key) => ({
    key,
    title: TITLES[key],
    count: current[key],
    previous: previous[key],
    delta: current[key] - previous[key],
    subtext: `${detail[key]}; ${change(current[key] - previous[key], ctx.previousEnd)}`,
  }));
}
