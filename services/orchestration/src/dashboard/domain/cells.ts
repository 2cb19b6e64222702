/** The compliance matrix: one row per well, one cell per domain. Pure. */
import {
  CELL_STATUSES,
  DOMAINS,
  type AnomalyView,
  type CellStatus,
  type DeadlineView,
  type Domain,
  type InReview,
} from './types';

/** What a cell is computed from. */
export interface CellInput {
  /** The domain applies to the well at all (see `applicableDomains`). */
  applicable: boolean;
  /** A filing or checklist of this domain is in review for the well. */
  inReview: boolean;
  deadlines: readonly DeadlineView[];
  anomalies: readonly AnomalyView[];
}

/**
 * A cell's status, the most urgent that holds:
 * - `overdue`: an open deadline of the domain is past due;
 * - `in_review`: a filing or checklist of the domain is in review (it is being dealt with);
 * - `action_needed`: a deadline due within 30 days (CRITICAL or WARNING, domain.md) or a production
 *   anomaly at CRITICAL or WARNING level;
 * - `compliant`: the domain applies and nothing above holds;
 * - `not_applicable`: the domain does not apply and nothing concerns it.
 */
export function cellStatus(c: CellInput): CellStatus {
  if (c.deadlines.some((d) => d.bucket === 'overdue')) return 'overdue';
  if (c.inReview) return 'in_review';
  if (
    c.deadlines.some((d) => d.bucket === 'due_7d' || d.bucket === 'due_30d') ||
    c.anomalies.some((a) => a.level !== 'info')
  )
    return 'action_needed';
  if (c.applicable || c.deadlines.length > 0 || c.anomalies.length > 0) return 'compliant';
  return 'not_applicable';
}

/** The most urgent of some statuses (`not_applicable` for none). */
export function worstOf(statuses: readonly CellStatus[]): CellStatus {
  let best = CELL_STATUSES.length - 1;
  for (const s of statuses) best = Math.min(best, CELL_STATUSES.indexOf(s));
  return CELL_STATUSES[best];
}

/** What the dashboard knows about a well besides the monitor's alerts. */
export interface WellFacts {
  id: string;
  name: string | null;
  status: string | null;
  /** Months of production reported. */
  productionMonths: number;
  /** Flare events recorded at the well. */
  flareEvents: number;
}

/**
 * Which domains apply to a well before any alert is looked at:
 * - Rule 37 (16 TAC §3.37): the statewide spacing minimums apply to every well;
 * - Form PR (16 TAC §3.58): a well that has reported production, or is past permitting;
 * - Rule 32 and flaring (16 TAC §3.32): a well with recorded flare events.
 * A domain with a deadline or an anomaly for the well applies too (`cellStatus` treats it so).
 */
export function applicableDomains(w: WellFacts): Set<Domain> {
  const out = new Set<Domain>(['rule_37']);
  if (w.productionMonths > 0 || (w.status !== null && w.status !== 'permitted')) out.add('form_pr');
  if (w.flareEvents > 0) {
    out.add('rule_32');
    out.add('flaring');
  }
  return out;
}

export interface Cell {
  status: CellStatus;
  /** Open deadlines of the domain (any distance). */
  open_deadlines: number;
  /** The soonest open deadline's due date. */
  next_due: string | null;
  /** Production anomalies of the domain in the period. */
  anomalies: number;
}

export interface MatrixRow {
  entity_id: string;
  entity_type: 'Well';
  name: string | null;
  well_status: string | null;
  cells: Record<Domain, Cell>;
  /** The most urgent cell status of the row. */
  worst: CellStatus;
}

/** Items grouped by the wells they concern. */
export function byWell<T>(items: readonly T[], wellsOf: (t: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items)
    for (const w of new Set(wellsOf(item))) {
      const list = out.get(w);
      if (list) list.push(item);
      else out.set(w, [item]);
    }
  return out;
}

/** One row per well, in the order of `wells`. */
export function matrixRows(
  wells: readonly WellFacts[],
  deadlines: readonly DeadlineView[],
  anomalies: readonly AnomalyView[],
  inReview: InReview,
): MatrixRow[] {
  const dl = byWell(deadlines, (d) => d.well_ids);
  const an = byWell(anomalies, (a) => [a.well_id]);
  return wells.map((w) => {
    const applicable = applicableDomains(w);
    const reviewing = new Set(inReview.get(w.id) ?? []);
    const cells = {} as Record<Domain, Cell>;
    for (const domain of DOMAINS) {
      const ds = (dl.get(w.id) ?? []).filter((d) => d.domain === domain);
      const as = (an.get(w.id) ?? []).filter((a) => a.domain === domain);
      const due = ds.map((d) => d.due_date).sort();
      cells[domain] = {
        status: cellStatus({
          applicable: applicable.has(domain),
          inReview: reviewing.has(domain),
          deadlines: ds,
          anomalies: as,
        }),
        open_deadlines: ds.length,
        next_due: due[0] ?? null,
        anomalies: as.length,
      };
    }
    return {
      entity_id: w.id,
      entity_type: 'Well',
      name: w.name,
      well_status: w.status,
      cells,
      worst: worstOf(DOMAINS.map((d) => cells[d].status)),
    };
  });
}
