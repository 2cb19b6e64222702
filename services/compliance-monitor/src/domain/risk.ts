import type { AlertDraft } from './alerts';
import { daysBetween, monthBounds } from './dates';
import { authorizationsCovering, wellProductionAlerts } from './production';
import {
  byWell,
  num,
  type AuthorizationInfo,
  type DeadlineItem,
  type Portfolio,
  type WellInfo,
} from './portfolio';

/**
 * The 0–100 risk score of a well: four factors, each with a maximum, summing to the score. The
 * weights are this service's choice (no rule sets them); the README lists them.
 * - deadline_proximity (≤ 30): the well's nearest open deadline: overdue 30, ≤ 7 days 25, ≤ 30 days
 *   15, ≤ 90 days 5, else 0 (the alert levels of domain.md, plus a lead-in band).
 * - open_issues (≤ 20): 5 per production anomaly in the well's latest reported month.
 * - violation_history (≤ 25): 5 per earlier month in the window with a critical production alert
 *   (allowable exceeded, unauthorised flaring).
 * - flaring_exposure (≤ 25): the latest month's flared + vented volume against the volume its
 *   authorisations allow that month (max mcf/day × days in the month), 25 × min(1, ratio); 25 when it
 *   flared with no authorisation.
 */
export const RISK_WEIGHTS = {
  deadline_proximity: 30,
  open_issues: 20,
  violation_history: 25,
  flaring_exposure: 25,
} as const;
export const POINTS_PER_ISSUE = 5;

export type RiskFactor = keyof typeof RISK_WEIGHTS;

export interface RiskContribution {
  factor: RiskFactor;
  points: number;
  max: number;
  detail: Record<string, unknown>;
}

export interface WellRisk {
  well_id: string;
  name: string | null;
  score: number;
  rank: number;
  factors: RiskContribution[];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export function deadlinePoints(daysUntilDue: number | undefined): number {
  if (daysUntilDue === undefined) return 0;
  if (daysUntilDue < 0) return 30;
  if (daysUntilDue <= 7) return 25;
  if (daysUntilDue <= 30) return 15;
  if (daysUntilDue <= 90) return 5;
  return 0;
}

const CRITICAL_PRODUCTION = new Set(['allowable_exceeded', 'unauthorized_flaring']);

/** The well's risk from its own deadlines and authorisations (those whose wellIds name it). */
export function wellRisk(
  well: WellInfo,
  mine: { asOf: string; deadlines: readonly DeadlineItem[]; authorizations: readonly AuthorizationInfo[] },
  window: { from: string; to: string },
): Omit<WellRisk, 'rank'> {
  const { asOf } = mine;
  const auths = mine.authorizations;

  const nearest = mine.deadlines
    .map((d) => ({ id: d.id, label: d.label, days: daysBetween(asOf, d.dueDate) }))
    .sort((a, b) => a.days - b.days)[0];

  const months = wellProductionAlerts(well, auths, window);
  const latest = well.production.find((r) => r.period === months.at(-1)?.period);
  const latestAlerts: AlertDraft[] = months.at(-1)?.alerts ?? [];
  const historyMonths = months
    .slice(0, -1)
    .filter((m) => m.alerts.some((a) => CRITICAL_PRODUCTION.has(a.code)))
    .map((m) => m.period);

  let exposure = 0;
  let exposureDetail: Record<string, unknown> = { flared_mcf: 0 };
  if (latest) {
    const flared = (latest.flared_mcf ?? 0) + (latest.vented_mcf ?? 0);
    const covering = authorizationsCovering(auths, well.id, latest.period);
    const allowedPerDay = covering.reduce((s, a) => s + (num(a.maxMcfPerDay) ?? 0), 0);
    const allowed = allowedPerDay * monthBounds(latest.period).days;
    if (flared > 0 && covering.length === 0) exposure = RISK_WEIGHTS.flaring_exposure;
    else if (flared > 0 && allowed > 0)
      exposure = RISK_WEIGHTS.flaring_exposure * Math.min(1, flared / allowed);
    exposureDetail = {
      period: latest.period,
      flared_mcf: flared,
      authorized_mcf: allowed,
      authorizations: covering.map((a) => a.id),
    };
  }

  const factors: RiskContribution[] = [
    {
      factor: 'deadline_proximity',
      points: deadlinePoints(nearest?.days),
      max: RISK_WEIGHTS.deadline_proximity,
      detail: nearest
        ? { entity: { label: nearest.label, id: nearest.id }, days_until_due: nearest.days }
        : { entity: null },
    },
    {
      factor: 'open_issues',
      points: Math.min(RISK_WEIGHTS.open_issues, POINTS_PER_ISSUE * latestAlerts.length),
      max: RISK_WEIGHTS.open_issues,
      detail: { period: latest?.period ?? null, codes: latestAlerts.map((a) => a.code) },
    },
    {
      factor: 'violation_history',
      points: Math.min(RISK_WEIGHTS.violation_history, POINTS_PER_ISSUE * historyMonths.length),
      max: RISK_WEIGHTS.violation_history,
      detail: { months: historyMonths },
    },
    {
      factor: 'flaring_exposure',
      points: round1(exposure),
      max: RISK_WEIGHTS.flaring_exposure,
      detail: exposureDetail,
    },
  ];
  const score = round1(factors.reduce((s, f) => s + f.points, 0));
  return { well_id: well.id, name: well.name, score, factors };
}

/** Every well of the portfolio scored and ranked: highest score first, then by well id. */
export function rankRisk(portfolio: Portfolio, window: { from: string; to: string }): WellRisk[] {
  const deadlinesOf = byWell(portfolio.deadlines);
  const authsOf = byWell(portfolio.authorizations);
  return portfolio.wells
    .map((w) =>
      wellRisk(
        w,
        {
          asOf: portfolio.asOf,
          deadlines: deadlinesOf.get(w.id) ?? [],
          authorizations: authsOf.get(w.id) ?? [],
        },
        window,
      ),
    )
    .sort((a, b) => b.score - a.score || (a.well_id < b.well_id ? -1 : 1))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}
