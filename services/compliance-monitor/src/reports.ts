import { NotFoundError, ValidationError } from '@aegis/common';
import type { EntityView, GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import { countByLevel, sortAlerts, type AlertDraft } from './domain/alerts';
import { deadlineAlerts } from './domain/deadlines';
import { text, type Portfolio } from './domain/portfolio';
import { periodWindow, productionAlerts } from './domain/production';
import { rankRisk, RISK_WEIGHTS } from './domain/risk';
import { loadPortfolio, mapLimit, wellsOf, type Scope } from './graph/portfolio';

/** The I/O shell of the four calculations: read the wells in scope and what concerns them from the
 * knowledge graph, then run the pure rules of domain/. */

export interface ScopeInput {
  as_of: string;
  operator_id?: string;
  well_ids?: string[];
}

export function report(alerts: AlertDraft[]) {
  const sorted = sortAlerts(alerts);
  return { counts: countByLevel(sorted), total: sorted.length, alerts: sorted };
}

/** The wells of the body's scope; an operator or well the tenant does not have is a 422 naming it. */
export async function scopedWells(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  input: ScopeInput,
): Promise<{ wells: EntityView[]; scoped: boolean }> {
  if (input.operator_id !== undefined) {
    if (!(await kg.getEntity(caller, 'Operator', input.operator_id)))
      throw ValidationError.single(['body', 'operator_id'], `no operator ${input.operator_id}`);
    return { wells: await wellsOf(kg, caller, { operatorId: input.operator_id }), scoped: true };
  }
  if (input.well_ids !== undefined) {
    const scope: Scope = { wellIds: input.well_ids };
    const wells = await wellsOf(kg, caller, scope);
    const found = new Set(wells.map((w) => w.entity_id));
    const missing = input.well_ids.findIndex((id) => !found.has(id));
    if (missing >= 0)
      throw ValidationError.single(['body', 'well_ids', missing], `no well ${input.well_ids[missing]}`);
    return { wells, scoped: true };
  }
  return { wells: await wellsOf(kg, caller, { all: true }), scoped: false };
}

export async function portfolioFor(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  input: ScopeInput,
): Promise<Portfolio> {
  const { wells, scoped } = await scopedWells(kg, caller, input);
  return loadPortfolio(kg, caller, wells, input.as_of, !scoped);
}

export function deadlineReport(p: Portfolio, windowDays: number) {
  return {
    as_of: p.asOf,
    window_days: windowDays,
    ...report(deadlineAlerts(p.deadlines, p.asOf, windowDays)),
  };
}

export function productionReport(p: Portfolio, months: number) {
  const window = periodWindow(p.asOf, months);
  return {
    as_of: p.asOf,
    period_from: window.from,
    period_to: window.to,
    wells_checked: p.wells.length,
    ...report(productionAlerts(p.wells, p.authorizations, window)),
  };
}

export function riskReport(p: Portfolio, months: number) {
  const window = periodWindow(p.asOf, months);
  const wells = rankRisk(p, window);
  return {
    as_of: p.asOf,
    period_from: window.from,
    period_to: window.to,
    weights: { ...RISK_WEIGHTS },
    total: wells.length,
    wells,
  };
}

/** The regulations the portfolio's wells are GOVERNED_BY directly, with how many of them each governs. */
export async function regulationsOf(kg: KnowledgeGraphClient, caller: GraphCaller, p: Portfolio) {
  const wells = new Set(p.wells.map((w) => w.id));
  const regs = await kg.listEntities(caller, 'Regulation');
  const governed = await mapLimit(regs, async (r) => {
    const edges = await kg.edgesOf(caller, 'Regulation', r.entity_id, {
      direction: 'in',
      relType: 'GOVERNED_BY',
    });
    return new Set(edges.filter((e) => e.from_label === 'Well' && wells.has(e.from_id)).map((e) => e.from_id))
      .size;
  });
  return regs
    .map((r, i) => ({
      regulation_id: r.entity_id,
      name: text(r.properties.name),
      citation: text(r.properties.citation),
      wells: governed[i],
    }))
    .filter((r) => r.wells > 0)
    .sort((a, b) => b.wells - a.wells || (a.regulation_id < b.regulation_id ? -1 : 1));
}

export async function dashboard(
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  operatorId: string,
  opts: { as_of: string; window_days: number; months: number },
) {
  const operator = await kg.getEntity(caller, 'Operator', operatorId);
  if (!operator) throw new NotFoundError(`Operator ${operatorId} not found`, 'operator_not_found');
  const wells = await wellsOf(kg, caller, { operatorId });
  const p = await loadPortfolio(kg, caller, wells, opts.as_of, false);
  const deadlines = deadlineReport(p, opts.window_days);
  const production = productionReport(p, opts.months);
  const all = [...deadlines.alerts, ...production.alerts];
  return {
    operator: { id: operatorId, name: text(operator.properties.name) },
    as_of: opts.as_of,
    wells: p.wells.length,
    counts: countByLevel(all),
    deadlines,
    production,
    rule_changes: { regulations: await regulationsOf(kg, caller, p) },
    risk: riskReport(p, opts.months),
  };
}
