import type { AgentDefinition } from '../agents/types';
import { SKILLS } from '../skills/library';
import { RULE_32 } from '../domain/filing';
import { RULE_37 } from '../domain/spacing';
import type {
  Alert,
  Assessment,
  BurnRate,
  Dashboard,
  DeadlineReport,
  Emissions,
  Forecasts,
  ProductionReport,
  RiskReport,
} from '../tools/answers';
import type { R32DraftResult, W1DraftResult } from '../tools/filing';
import type { Entity, WellContext } from '../tools/graph';
import type { SpacingReport } from '../tools/spacing';
import type { Topic } from './intent';
import type { ToolOutcome } from './types';

/**
 * The offline planner's answer templates: one paragraph per tool result, with the figures exactly as
 * the tools returned them (never recomputed), and the rule each figure comes from.
 */

/** A property value as text (objects as JSON, absent as `fallback`). */
const str = (v: unknown, fallback = ''): string => {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? fallback;
};
const LEVEL = (l: string) => l.toUpperCase();
const list = (xs: string[], max = 10) =>
  xs.slice(0, max).join('\n') + (xs.length > max ? `\n- … and ${xs.length - max} more` : '');
/** An alert with the entity it is about (its id is what a user looks up) and its rule. */
const alertLine = (a: Pick<Alert, 'level' | 'message'> & Partial<Pick<Alert, 'rule' | 'entity'>>) =>
  `- ${LEVEL(a.level)}: ${a.message}${a.entity ? ` — ${a.entity.label} ${a.entity.id}` : ''}${a.rule ? ` (${a.rule})` : ''}`;

const SEVERITY: Record<string, number> = { critical: 0, warning: 1, info: 2, ok: 3 };
const bySeverity = <T extends { level: string }>(xs: readonly T[]) =>
  [...xs].sort((a, b) => (SEVERITY[a.level] ?? 4) - (SEVERITY[b.level] ?? 4));

function assessment(a: Assessment): string {
  const parts: string[] = [];
  // Critical first; within a level, the most used first.
  const auths = bySeverity([...a.authorizations].sort((x, y) => y.volume_pct - x.volume_pct));
  for (const x of auths) {
    const why = x.alerts
      .filter((al) => al.level !== 'info')
      .map((al) => al.message.replace(/^Authorisation [^:]+: /, ''));
    parts.push(
      `- Authorisation ${x.authorization_id} (${x.status}, ${x.max_volume_mcf_per_day} mcf/day × ${x.authorised_days} days = ${x.authorised_volume_mcf} mcf authorised): ` +
        `${x.cumulative_volume_mcf} mcf flared, ${x.volume_pct} % of the authorised volume, ${x.remaining_volume_mcf} mcf remaining; ` +
        `day ${x.days_used} of ${x.authorised_days}, expires ${x.expiry_date}${x.expired ? ' (EXPIRED)' : ` (${x.days_remaining} days left)`}; ` +
        `level ${LEVEL(x.level)}${why.length ? ` — ${why.join('; ')}` : ''}.`,
    );
  }
  for (const u of a.unauthorized)
    parts.push(
      `- Well ${u.well_id}: ${u.volume_mcf} mcf in ${u.events} events with no valid authorisation; level ${LEVEL(u.level)}.`,
    );
  for (const o of a.oooob)
    parts.push(
      `- Well ${o.well_id} was spudded ${o.spud_date}, after 2021-11-15: subject to EPA NSPS OOOOb (${o.events} events).`,
    );
  const head = `Flaring assessment as of ${a.as_of}${a.well_id ? ` for well ${a.well_id}` : ''} (${RULE_32}): overall level ${LEVEL(a.level)}; ${a.summary.critical} critical, ${a.summary.warning} warning, ${a.summary.info} info alerts.`;
  if (parts.length === 0) return `${head}\nNo authorisation or flaring on record.`;
  return [head, list(parts, 20)].join('\n');
}

function forecast(f: Forecasts): string {
  if (f.data.length === 0) return 'Forecast: no authorisation to forecast.';
  return [
    `Forecast as of ${f.as_of} (${RULE_32}):`,
    ...f.data.map(
      (x) =>
        `- ${x.authorization_id}: at ${x.burn_rate_mcf_per_day} mcf/day (${x.window_days}-day burn rate) the remaining ${x.remaining_volume_mcf} mcf ` +
        (x.exhaustion_date
          ? `run out on ${x.exhaustion_date} (${x.days_to_exhaustion} days)`
          : 'do not run out (no recent flaring)') +
        `; expiry ${x.expiry_date}, 180-day limit ${x.duration_limit_date}; the binding limit is the ${x.binding_limit === 'duration_180' ? '180-day limit' : x.binding_limit} on ${x.binding_date}` +
        (x.exhausted_before_expiry ? ' — the volume runs out BEFORE the expiry.' : '.'),
    ),
  ].join('\n');
}

const burnRate = (b: BurnRate) =>
  `Burn rate: ${b.burn_rate_mcf_per_day} mcf/day over the ${b.window_days} days to ${b.as_of} (${b.volume_mcf} mcf flared).`;

function emissions(e: Emissions): string {
  const t = e.total;
  const gwp = e.by_disposition[0]?.gwp;
  return (
    `Emissions${e.well_id ? ` of well ${e.well_id}` : ''}: ${t.volume_mcf} mcf → CO2 ${t.co2_t} t, CH4 ${t.ch4_t} t, N2O ${t.n2o_t} t, CO2e ${t.co2e_t} t` +
    (gwp ? ` (GWP CH4 ${gwp.ch4}, N2O ${gwp.n2o}, ${gwp.source})` : '') +
    `; ${e.composition_source === 'default' ? 'default gas composition (no gas analysis)' : 'gas analysis'}.` +
    (e.note ? ` ${e.note}` : '')
  );
}

function spacing(s: SpacingReport): string {
  const m = s.minimums;
  const who = s.well
    ? `well ${s.well.name ?? ''} (${s.well.well_id})`.replace('  ', ' ')
    : 'the proposed location';
  const lines = [
    `Rule 37 spacing of ${who}${s.lease ? ` on lease ${s.lease.name ?? s.lease.lease_id}` : ''}${s.field ? `, field ${s.field.name ?? s.field.field_id}` : ''} (${m.citation}): minimums ${m.lease_line_ft} ft from lease lines and ${m.between_well_ft} ft between wells (${m.source === 'field_rule' ? 'field rules' : 'statewide'}).`,
  ];
  const near = s.offset_wells
    .slice(0, 5)
    .map(
      (o) =>
        `- ${o.well_id}${o.name ? ` ${o.name}` : ''}: ${o.distance_ft} ft${o.same_lease === false ? ' (other lease)' : ''}${o.status === 'violation' ? ` — VIOLATION, ${o.minimum_ft} ft required` : ''}`,
    );
  lines.push(
    near.length
      ? `Nearest offset wells (nearest ${s.nearest_offset_ft} ft):\n${near.join('\n')}`
      : 'No offset well within the radius.',
  );
  lines.push(
    s.lease_line.status === 'not_evaluated'
      ? `Lease line: not evaluated — ${s.lease_line.reason}.`
      : `Lease line: ${s.lease_line.distance_ft} ft (minimum ${s.lease_line.minimum_ft} ft) — ${s.lease_line.status.toUpperCase()}.`,
  );
  lines.push(
    s.exception_required
      ? `${s.violations.length} violation(s): ${s.violations.map((v) => `${v.kind === 'lease_line' ? 'lease line' : `well ${v.well_id ?? ''}`} at ${v.distance_ft} ft, ${v.shortfall_ft} ft short of ${v.minimum_ft} ft`).join('; ')}. A Rule 37 exception (Form W-1 with a good-cause narrative and notice to offset operators) is required.`
      : 'No spacing violation among what was measured: no Rule 37 exception is needed for it.',
  );
  return lines.join('\n');
}

function context(c: WellContext): string {
  const p = c.well.properties;
  const name = (e: Entity | null) =>
    e ? `${str(e.properties.name, e.entity_id)} (${e.entity_id})` : 'unknown';
  const valid = c.authorizations.filter((a) => a.valid_today);
  return [
    `Well ${str(p.name)} (${c.well.entity_id}): status ${str(p.status, 'unknown')}, ${str(p.well_type)} well, county ${str(p.county, '?')}, district ${str(p.district, '?')}${p.spud_date ? `, spudded ${str(p.spud_date)}` : ''}.`,
    `Lease ${name(c.lease)}, field ${name(c.field)}, operator ${name(c.operator)}.`,
    `${c.permits.length} permit(s); ${c.authorizations.length} flaring authorisation(s), ${valid.length} valid today${valid.length ? ` (${valid.map((a) => `${a.entity_id} until ${str(a.properties.expiry_date)}`).join(', ')})` : ''}.`,
    `Recent flaring (${c.recent_flaring.days} days): ${c.recent_flaring.event_count} events, ${c.recent_flaring.total_volume_mcf} mcf (flaring events recorded in the knowledge graph).`,
    `${c.offset_wells.wells.length} offset well(s) within ${c.offset_wells.radius_ft} ft; ${c.deadlines.length} open deadline(s)${
      c.deadlines.length
        ? `: ${c.deadlines
            .slice(0, 5)
            .map(
              (d) =>
                `${str(d.properties.title, d.entity_id)} due ${str(d.properties.due_date)}${d.level ? ` (${LEVEL(d.level)})` : ''}`,
            )
            .join('; ')}`
        : ''
    }.`,
    c.regulations.length
      ? `Governed by: ${c.regulations.map((r) => str(r.properties.citation, r.entity_id)).join(', ')}.`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

const report = (title: string, r: DeadlineReport | ProductionReport) => {
  const sorted = bySeverity(r.alerts);
  return [
    `${title} as of ${r.as_of}: ${r.counts.critical} critical, ${r.counts.warning} warning, ${r.counts.info} info (${r.total} in all).`,
    sorted.length ? list(sorted.map(alertLine), 12) : '',
  ]
    .filter(Boolean)
    .join('\n');
};

const risk = (r: RiskReport) =>
  [
    `Risk scores as of ${r.as_of} (${r.total} wells), highest first:`,
    ...r.wells
      .slice(0, 5)
      .map((w) => `- #${w.rank} ${w.well_id}${w.name ? ` ${w.name}` : ''}: ${w.score}/100`),
  ].join('\n');

const dashboard = (d: Dashboard) =>
  [
    `Compliance dashboard of ${d.operator.name ?? d.operator.id} (${d.wells} wells) as of ${d.as_of}: ${d.counts.critical} critical, ${d.counts.warning} warning, ${d.counts.info} info.`,
    report('Deadlines', d.deadlines),
    report('Production', d.production),
    risk(d.risk),
  ].join('\n');

function draft(r: W1DraftResult | R32DraftResult): string {
  if ('spacing' in r) {
    const d = r.draft;
    return [
      `Form W-1 draft (${d.purpose}, ${d.rule}) for ${d.well.api_number ?? ''}: ${d.violations.length} violation(s); offset operators to notify: ${d.offset_operators_to_notify.join(', ') || 'none'}.`,
      `Good-cause narrative: ${d.good_cause_narrative}`,
      d.missing.length ? `Still missing: ${d.missing.join(', ')}.` : 'The checklist is complete.',
    ].join('\n');
  }
  const d = r.draft;
  const a = d.application;
  const v = r.validation;
  return [
    `Form R-32 draft (${d.rule}${a.renewal ? ', renewal' : ''}) for ${a.well_ids.join(', ')}: ${a.requested_volume_mcf_per_day ?? '?'} mcf/day from ${a.start_date} to ${a.end_date} (${d.duration_days} days, at most 180).`,
    `Pre-filing validation: ${v.valid ? 'valid' : 'NOT valid'} — ${v.errors} error(s), ${v.warnings} warning(s).${v.issues.length ? `\n${list(v.issues.map((i) => `- ${i.severity.toUpperCase()} ${i.path}: ${i.message}`))}` : ''}`,
    d.missing.length ? `Still missing: ${d.missing.join(', ')}.` : 'The checklist is complete.',
  ].join('\n');
}

function written(
  name: string,
  r: { label: string; entity_id: string; status: string; due_date?: string },
): string {
  if (name === 'raise_compliance_alert')
    return `Alert approved: follow-up deadline ${r.entity_id} recorded (status ${r.status}, due ${r.due_date}).`;
  return `Filed: ${r.label} ${r.entity_id} recorded with status ${r.status}.`;
}

function graph(r: { template_id: string; count: number; data: unknown[] }): string {
  const rows = r.data.slice(0, 10).map((x) => {
    const e = x as Partial<Entity> & Record<string, unknown>;
    if (e.entity_id)
      return `- ${e.label ?? ''} ${e.entity_id}${e.properties?.name ? ` ${str(e.properties.name)}` : ''}`;
    return `- ${JSON.stringify(x)}`;
  });
  return `Query ${r.template_id}: ${r.count} result(s).${rows.length ? `\n${list(rows)}` : ''}`;
}

const entity = (e: Entity) =>
  `${e.label} ${e.entity_id}: ${Object.entries(e.properties)
    .slice(0, 12)
    .map(([k, v]) => `${k} ${str(v)}`)
    .join(', ')}.`;

const RENDER: Record<string, (r: never) => string> = {
  flaring_assess: assessment,
  flaring_forecast: forecast,
  flaring_burn_rate: burnRate,
  flaring_emissions: emissions,
  rule37_spacing: spacing,
  context_assemble: context,
  compliance_deadlines: (r: DeadlineReport) => report('Deadlines', r),
  compliance_production: (r: ProductionReport) => report('Production anomalies', r),
  compliance_risk: risk,
  compliance_dashboard: dashboard,
  assemble_filing_draft: draft,
  graph_query: graph,
  get_entity: entity,
  r32_validate: (v: R32DraftResult['validation']) =>
    `Form R-32 pre-filing validation (${RULE_32}): ${v.valid ? 'valid' : 'NOT valid'} — ${v.errors} error(s), ${v.warnings} warning(s).${v.issues.length ? `\n${list(v.issues.map((i) => `- ${i.severity.toUpperCase()} ${i.path}: ${i.message}`))}` : ''}`,
};

const isAlert = (a: unknown): a is Alert =>
  !!a &&
  typeof a === 'object' &&
  typeof (a as Alert).level === 'string' &&
  typeof (a as Alert).message === 'string';

/** The alerts a scheduled run was started for (the schedule's `new_alerts`), critical first; empty
 * when there are none. */
export function newAlerts(value: unknown): string {
  if (!Array.isArray(value)) return '';
  const alerts = bySeverity(value.filter(isAlert));
  if (alerts.length === 0) return '';
  const count = (l: string) => alerts.filter((a) => a.level === l).length;
  return [
    `${alerts.length} new alert(s) since the last run: ${count('critical')} critical, ${count('warning')} warning, ${count('info')} info.`,
    list(alerts.map(alertLine), 10),
  ].join('\n');
}

/** The rule text a topic is answered from (the skill library's `rule_text` artifacts). */
const TOPIC_RULES: Partial<Record<Topic, string>> = {
  spacing: 'rule-37',
  w1: 'rule-37',
  flaring: 'rule-32',
  r32: 'rule-32',
  burn_rate: 'rule-32',
  forecast: 'rule-32',
  emissions: 'emissions',
};

/** An answer to a question about the rules themselves, from the rule text of the skill library: the
 * topics' rules, else those of the agent's skills. Empty when there is none. */
export function ruleText(agent: AgentDefinition, topics: ReadonlySet<Topic>): string {
  const texts = SKILLS.flatMap((s) => s.artifacts).filter((a) => a.kind === 'rule_text');
  let names = [...topics].flatMap((t) => (TOPIC_RULES[t] ? [TOPIC_RULES[t]] : []));
  if (names.length === 0)
    names = SKILLS.filter((s) => agent.skills.includes(s.skill_id)).flatMap((s) =>
      s.artifacts.filter((a) => a.kind === 'rule_text').map((a) => a.name),
    );
  const picked = [...new Set(names)].flatMap((n) => texts.find((t) => t.name === n)?.content ?? []);
  return picked.length ? `What the rules say:\n\n${picked.join('\n\n')}` : '';
}

/** One tool outcome as answer text. */
export function renderOutcome(o: ToolOutcome): string {
  if (o.error) return `The ${o.call.name} tool failed: ${o.error.message} (${o.error.code}).`;
  const render = RENDER[o.call.name];
  if (render) return render(o.result as never);
  if (o.result && typeof o.result === 'object' && 'entity_id' in o.result)
    return written(o.call.name, o.result as never);
  return `${o.call.name}: ${JSON.stringify(o.result)}`;
}

/** The rules the answer cites, from the tools it used. */
export function citations(outcomes: readonly ToolOutcome[]): string[] {
  const names = new Set(outcomes.map((o) => o.call.name));
  const out: string[] = [];
  const any = (...xs: string[]) => xs.some((x) => names.has(x));
  if (any('flaring_assess', 'flaring_forecast', 'flaring_burn_rate', 'flaring_emissions', 'r32_validate'))
    out.push(RULE_32);
  if (any('rule37_spacing', 'file_spacing_exception')) out.push(RULE_37);
  if (any('attach_emissions_estimate')) out.push(RULE_32);
  for (const o of outcomes)
    if (o.call.name === 'assemble_filing_draft' || o.call.name === 'submit_filing')
      out.push(o.call.arguments.form_type === 'W-1' ? RULE_37 : RULE_32);
  return [...new Set(out)];
}
