/**
 * The I/O shell of the dashboard: reads the wells and flare events from the knowledge graph, the
 * deadlines and production anomalies from the compliance monitor (its own figures), what is in review
 * from the checklists module, then runs the pure functions of domain/.
 */
import { parseApiNumber, ValidationError, NotFoundError } from '@aegis/common';
import type { EntityView, GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import { matrixRows, type MatrixRow, type WellFacts } from './domain/cells';
import { toAnomaly, toDeadline } from './domain/classify';
import { monthsSpanning, periodEnding, periodsEnding, shiftDate, type Period } from './domain/periods';
import {
  anomaliesIn,
  periodCounts,
  summaryCards,
  type Card,
  type CardKey,
  type PeriodCounts,
} from './domain/summary';
import type { AnomalyView, DeadlineView, InReview } from './domain/types';
import type { ComplianceFigures } from './monitor-client';

/** Which wells have a filing or checklist in review, per domain; the checklists module implements it. */
export interface InReviewSource {
  inReview(tenant: string): Promise<InReview>;
}

/** The default until the checklists module is wired: nothing is in review. */
export const NOTHING_IN_REVIEW: InReviewSource = { inReview: async () => new Map() };

export interface DashboardDeps {
  kg: KnowledgeGraphClient;
  figures: ComplianceFigures;
  inReview: InReviewSource;
}

export interface Scope {
  as_of: string;
  operator_id?: string;
}

/** Deadline cards only need what is due within 30 days (overdue ones are always reported). */
const CARD_WINDOW_DAYS = 30;
/** The matrix and an entity's page show every open deadline, however far (the monitor's maximum). */
const ALL_DEADLINES_DAYS = 3650;

const scopeBody = (s: Scope) => ({
  as_of: s.as_of,
  ...(s.operator_id ? { operator_id: s.operator_id } : {}),
});

export async function deadlinesAsOf(
  deps: DashboardDeps,
  caller: GraphCaller,
  scope: Scope,
  windowDays: number,
): Promise<DeadlineView[]> {
  const alerts = await deps.figures.deadlines(caller, { ...scopeBody(scope), window_days: windowDays });
  return alerts.map(toDeadline);
}

/** The anomalies of every production month ending in [from, scope.as_of]. */
export async function anomaliesSince(
  deps: DashboardDeps,
  caller: GraphCaller,
  scope: Scope,
  from: string,
): Promise<AnomalyView[]> {
  const alerts = await deps.figures.production(caller, {
    ...scopeBody(scope),
    months: monthsSpanning(from, scope.as_of),
  });
  return anomaliesIn(alerts.map(toAnomaly), { from, to: scope.as_of });
}

/** An operator filter naming no operator of the tenant is a 422, as in the compliance monitor. */
async function checkOperator(deps: DashboardDeps, caller: GraphCaller, scope: Scope): Promise<void> {
  if (scope.operator_id === undefined) return;
  if (!(await deps.kg.getEntity(caller, 'Operator', scope.operator_id)))
    throw ValidationError.single(['query', 'operator_id'], `no operator ${scope.operator_id}`);
}

const soonest = (ds: readonly DeadlineView[], bucket: CardKey) =>
  ds
    .filter((d) => d.bucket === bucket)
    .map((d) => d.due_date)
    .sort()[0];

export interface Summary {
  as_of: string;
  period_days: number;
  period: Period;
  previous_period: Period;
  cards: Card[];
}

export async function summary(
  deps: DashboardDeps,
  caller: GraphCaller,
  scope: Scope,
  periodDays: number,
): Promise<Summary> {
  await checkOperator(deps, caller, scope);
  const current = periodEnding(scope.as_of, periodDays);
  const previous = periodEnding(shiftDate(scope.as_of, -periodDays), periodDays);
  const [now, before, anomalies] = await Promise.all([
    deadlinesAsOf(deps, caller, scope, CARD_WINDOW_DAYS),
    deadlinesAsOf(deps, caller, { ...scope, as_of: previous.to }, CARD_WINDOW_DAYS),
    anomaliesSince(deps, caller, scope, previous.from),
  ]);
  const inCurrent = anomaliesIn(anomalies, current);
  const cards = summaryCards(
    periodCounts(now, anomalies, current),
    periodCounts(before, anomalies, previous),
    {
      previousEnd: previous.to,
      soonest: {
        overdue: soonest(now, 'overdue'),
        due_7d: soonest(now, 'due_7d'),
        due_30d: soonest(now, 'due_30d'),
      },
      anomalyWells: new Set(inCurrent.map((a) => a.well_id)).size,
    },
  );
  return { as_of: scope.as_of, period_days: periodDays, period: current, previous_period: previous, cards };
}

export interface TrendPoint extends Period, PeriodCounts {
  /** The monitor's critical count on the period's last day (overdue + due within 7 days). */
  critical: number;
  /** Its warning count (due within 8–30 days). */
  warning: number;
}

export async function trend(
  deps: DashboardDeps,
  caller: GraphCaller,
  scope: Scope,
  periodDays: number,
  count: number,
): Promise<{ as_of: string; period_days: number; periods: TrendPoint[] }> {
  await checkOperator(deps, caller, scope);
  const periods = periodsEnding(scope.as_of, periodDays, count);
  const [anomalies, ...snapshots] = await Promise.all([
    anomaliesSince(deps, caller, scope, periods[0].from),
    ...periods.map((p) => deadlinesAsOf(deps, caller, { ...scope, as_of: p.to }, CARD_WINDOW_DAYS)),
  ]);
  return {
    as_of: scope.as_of,
    period_days: periodDays,
    periods: periods.map((p, i) => {
      const counts = periodCounts(snapshots[i], anomalies, p);
      return { ...p, ...counts, critical: counts.overdue + counts.due_7d, warning: counts.due_30d };
    }),
  };
}

/** A well id as given: an API number with or without dashes is normalised (the Well entity id). */
export function wellIdOf(given: string): string {
  const parsed = parseApiNumber(given);
  return parsed.ok ? parsed.value : given;
}

/** A FlaringEvent's well: its `api_number` (normalised), as the demo and ingestion record it. */
const eventWell = (e: EntityView): string | undefined => {
  const api = e.properties.api_number ?? e.properties.well_id;
  return typeof api === 'string' ? wellIdOf(api) : undefined;
};

function wellFacts(w: EntityView, flareEvents: ReadonlyMap<string, number>): WellFacts {
  const name = w.properties.name;
  const status = w.properties.status;
  const production = w.properties.production;
  return {
    id: w.entity_id,
    name: typeof name === 'string' ? name : null,
    status: typeof status === 'string' ? status.toLowerCase() : null,
    productionMonths: Array.isArray(production) ? production.length : 0,
    flareEvents: flareEvents.get(w.entity_id) ?? 0,
  };
}

export interface Matrix {
  period: Period;
  rows: MatrixRow[];
  deadlines: DeadlineView[];
  anomalies: AnomalyView[];
}

/** The matrix of the wells in scope (or of `onlyWell`), from every open deadline and the current
 * period's anomalies. */
export async function matrix(
  deps: DashboardDeps,
  caller: GraphCaller,
  tenant: string,
  scope: Scope,
  periodDays: number,
  onlyWell?: EntityView,
): Promise<Matrix> {
  await checkOperator(deps, caller, scope);
  const period = periodEnding(scope.as_of, periodDays);
  const [wells, events, deadlines, anomalies, inReview] = await Promise.all([
    onlyWell
      ? [onlyWell]
      : scope.operator_id
        ? (deps.kg.query(caller, 'wells_by_operator', { operator_id: scope.operator_id }) as Promise<
            EntityView[]
          >)
        : deps.kg.listEntities(caller, 'Well'),
    deps.kg.listEntities(caller, 'FlaringEvent'),
    deadlinesAsOf(deps, caller, scope, ALL_DEADLINES_DAYS),
    anomaliesSince(deps, caller, scope, period.from),
    deps.inReview.inReview(tenant),
  ]);
  const flareEvents = new Map<string, number>();
  for (const e of events) {
    const id = eventWell(e);
    if (id) flareEvents.set(id, (flareEvents.get(id) ?? 0) + 1);
  }
  const facts = wells.map((w) => wellFacts(w, flareEvents));
  return { period, rows: matrixRows(facts, deadlines, anomalies, inReview), deadlines, anomalies };
}

/** One well's cells, open deadlines and the period's alerts; 404 when the tenant has no such well. */
export async function entityDetail(
  deps: DashboardDeps,
  caller: GraphCaller,
  tenant: string,
  scope: Scope,
  periodDays: number,
  entityId: string,
) {
  const id = wellIdOf(entityId);
  const well = await deps.kg.getEntity(caller, 'Well', id);
  if (!well) throw new NotFoundError(`Well ${entityId} not found`, 'entity_not_found');
  const m = await matrix(deps, caller, tenant, scope, periodDays, well);
  const row = m.rows[0];
  return {
    ...row,
    as_of: scope.as_of,
    period: m.period,
    deadlines: m.deadlines.filter((d) => d.well_ids.includes(id)),
    alerts: m.anomalies.filter((a) => a.well_id === id),
  };
}
