import type { AgentDefinition } from '../agents/types';
import type { Assessment, Dashboard, DeadlineReport, ProductionReport, RiskReport } from '../tools/answers';
import type { SpacingReport } from '../tools/spacing';
import type { ToolOutcome } from './types';

/** The first sentence of an offline answer: the answer to the question, from the tools' figures. */

export const resultOf = <T>(outcomes: readonly ToolOutcome[], name: string) =>
  outcomes.find((o) => o.call.name === name && o.result !== undefined)?.result as T | undefined;

function wellFlaring(a: Assessment, well: string): string {
  const w = well;
  if (a.authorizations.length === 0 && a.unauthorized.length === 0)
    return `Well ${w} has no flaring authorisation and no flaring on record.`;
  if (a.unauthorized.length > 0)
    return `No: well ${w} flared ${a.unauthorized[0].volume_mcf} mcf without a valid authorisation (CRITICAL).`;
  const worst = [...a.authorizations].sort((x, y) => y.volume_pct - x.volume_pct)[0];
  const figures = `${worst.volume_pct} % of the authorised volume of ${worst.authorization_id} used (${worst.cumulative_volume_mcf} of ${worst.authorised_volume_mcf} mcf), day ${worst.days_used} of ${worst.authorised_days}`;
  if (a.level === 'critical')
    return `No: well ${w} is outside its flaring authorisation — ${figures}${worst.expired ? ', expired' : ''} (CRITICAL).`;
  if (a.level === 'warning') return `Yes, but close to its limits: well ${w} has ${figures} (WARNING).`;
  return `Yes: well ${w} is within its flaring authorisation — ${figures}.`;
}

function sweep(a: Assessment): string {
  const over = a.authorizations.filter((x) => x.volume_pct >= 100);
  const near = a.authorizations.filter((x) => x.volume_pct >= 80 && x.volume_pct < 100);
  const expired = a.authorizations.filter((x) => x.expired);
  const ids = (xs: { authorization_id: string; volume_pct: number }[]) =>
    xs.map((x) => `${x.authorization_id} at ${x.volume_pct} %`).join(', ');
  return [
    `Flaring across ${a.authorizations.length} authorisation(s): ${a.summary.critical} critical and ${a.summary.warning} warning alerts.`,
    over.length ? `Over the authorised volume: ${ids(over)}.` : '',
    near.length ? `At 80 % or more: ${ids(near)}.` : '',
    expired.length ? `Expired: ${expired.map((x) => x.authorization_id).join(', ')}.` : '',
    a.unauthorized.length
      ? `Flaring with no valid authorisation: ${a.unauthorized.map((u) => `${u.well_id} (${u.volume_mcf} mcf)`).join(', ')}.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function spacing(s: SpacingReport): string {
  const who = s.well ? `Well ${s.well.well_id}` : 'The proposed location';
  const v = s.violations[0];
  if (!v) return `${who} meets the Rule 37 spacing minimums for what was measured.`;
  const where =
    v.kind === 'lease_line'
      ? `${v.distance_ft} ft from the lease line`
      : `${v.distance_ft} ft from well ${v.well_id ?? ''}`;
  return `${who} is ${where}, inside the ${v.minimum_ft} ft minimum of ${s.minimums.citation}: a Rule 37 exception (Form W-1) is required${s.violations.length > 1 ? ` (${s.violations.length} violations)` : ''}.`;
}

function compliance(outcomes: readonly ToolOutcome[]): string | undefined {
  const d = resultOf<DeadlineReport>(outcomes, 'compliance_deadlines');
  const p = resultOf<ProductionReport>(outcomes, 'compliance_production');
  const r = resultOf<RiskReport>(outcomes, 'compliance_risk');
  const b = resultOf<Dashboard>(outcomes, 'compliance_dashboard');
  if (b)
    return `${b.operator.name ?? b.operator.id} (${b.wells} wells): ${b.counts.critical} critical, ${b.counts.warning} warning and ${b.counts.info} info items.`;
  if (!d && !p && !r) return undefined;
  const parts = [
    d
      ? `${d.counts.critical} critical deadline(s) (overdue or due within 7 days) and ${d.counts.warning} due within 30 days`
      : '',
    p ? `${p.counts.critical} critical and ${p.counts.warning} warning production anomalies` : '',
    r?.wells[0] ? `highest risk: well ${r.wells[0].well_id} at ${r.wells[0].score}/100` : '',
  ].filter(Boolean);
  return `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
}

export function headline(
  agent: AgentDefinition,
  well: string | undefined,
  outcomes: readonly ToolOutcome[],
): string {
  if (outcomes.length === 0)
    return `I am the ${agent.name}. ${agent.description} Name a well by its API number (e.g. 42-317-30000-00-00), an authorisation, an operator or a lease, and say what to check.`;
  const failed = outcomes.filter((o) => o.error);
  if (failed.length === outcomes.length)
    return `I could not get the figures: ${failed.map((o) => o.error!.message).join('; ')}.`;
  const written = outcomes.find(
    (o) =>
      [
        'submit_filing',
        'file_spacing_exception',
        'attach_emissions_estimate',
        'raise_compliance_alert',
      ].includes(o.call.name) && o.result,
  );
  if (written) {
    const r = written.result as { label: string; entity_id: string };
    return written.call.name === 'raise_compliance_alert'
      ? `The alert was approved: follow-up ${r.label} ${r.entity_id} recorded.`
      : `The filing was approved and recorded: ${r.label} ${r.entity_id}.`;
  }
  const assessment = resultOf<Assessment>(outcomes, 'flaring_assess');
  if (assessment && well) return wellFlaring(assessment, well);
  const s = resultOf<SpacingReport>(outcomes, 'rule37_spacing');
  if (s) return spacing(s);
  if (assessment) return sweep(assessment);
  const c = compliance(outcomes);
  if (c) return c;
  const q = outcomes.find((o) => o.call.name === 'graph_query' && o.result);
  if (q) {
    const r = q.result as { template_id: string; count: number; params: Record<string, unknown> };
    if (r.template_id === 'wells_by_operator')
      return `Operator ${String(r.params.operator_id)} operates ${r.count} well(s).`;
    if (r.template_id === 'connected_by_path' && r.params.label === 'Lease')
      return `Lease ${String(r.params.entity_id)} has ${r.count} well(s).`;
  }
  if (well) return `Here is what the platform holds about well ${well}.`;
  return `${agent.name}: here is what the platform reports.`;
}
