import type { Assessment, BurnRate, Emissions, Forecasts, R32Validation } from '../tools/answers';
import { addDays } from '../domain/filing';
import type { R32DraftResult, W1DraftResult } from '../tools/filing';
import type { SpacingReport } from '../tools/spacing';
import type { WellContext } from '../tools/graph';

/**
 * How a tool's answer decides a checklist item: the arguments a tool is run with for the checklist's
 * entity, and the judgement of its answer (passed or not, a one-line summary, the figures the tool
 * computed). Pure: the runner calls the tools; nothing here does I/O.
 */

/** What an assessment is about: the checklist's entity, on the day of the assessment. */
export interface Subject {
  label: string;
  entity_id: string;
  form_type: string;
  /** YYYY-MM-DD (the service clock's day). */
  as_of: string;
}

export interface Judgement {
  passed: boolean;
  summary: string;
  figures: Record<string, unknown>;
}

/** A tool that assesses items: its arguments for a subject (undefined: it cannot assess this kind of
 * entity) and its judgement of an answer for an item. `derive` names a tool whose answer the
 * arguments are built from (run first, recorded as evidence too). */
export interface ToolCheck {
  derive?: { tool_name: string; args(s: Subject): Record<string, unknown> | undefined };
  args(s: Subject, derived?: unknown): Record<string, unknown> | undefined;
  judge(answer: unknown, itemLabel: string): Judgement;
}

const wellOnly = (s: Subject) => (s.label === 'Well' ? s.entity_id : undefined);
const withWell = (s: Subject, extra: Record<string, unknown> = {}) => {
  const well = wellOnly(s);
  return well === undefined ? undefined : { well_id: well, ...extra };
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Which R-32 validation paths belong to which item of the R-32 template (by label); an item not
 * named here is judged on the whole validation. */
const R32_ITEM_PATHS: Readonly<Record<string, readonly string[]>> = {
  'Requested volume within limits': ['requested_volume_mcf_per_day'],
  'Requested duration (at most 180 days)': ['start_date', 'end_date', 'justification'],
  'Reason for flaring': ['reason'],
  'Gathering-line connection plan': ['gathering_plan'],
};

/** Which spacing violations belong to which item of the W-1 template (by a word of its label). */
function spacingKind(label: string): 'lease_line' | 'between_well' | undefined {
  if (/lease line/i.test(label)) return 'lease_line';
  if (/offset well/i.test(label)) return 'between_well';
  return undefined;
}

export const TOOL_CHECKS: Readonly<Record<string, ToolCheck>> = {
  context_assemble: {
    args: (s) => withWell(s, { as_of: s.as_of }),
    judge: (answer) => {
      const c = answer as WellContext;
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      const figures = {
        api_number: c.well.entity_id,
        well_name: text(c.well.properties.name),
        lease_id: c.lease?.entity_id ?? null,
        lease_number: text(c.lease?.properties.lease_number) ?? text(c.well.properties.lease_number),
        operator_id: c.operator?.entity_id ?? null,
        operator_number:
          text(c.operator?.properties.operator_number) ?? text(c.well.properties.operator_number),
        field_id: c.field?.entity_id ?? null,
        authorizations: c.authorizations.map((a) => a.entity_id),
      };
      const missing = (['lease_number', 'operator_number'] as const).filter((k) => figures[k] === null);
      return {
        passed: missing.length === 0,
        summary:
          missing.length === 0
            ? `Well ${figures.api_number}, lease ${figures.lease_number}, operator P-5 ${figures.operator_number}`
            : `Missing in the knowledge graph: ${missing.join(', ')}`,
        figures,
      };
    },
  },

  r32_validate: {
    derive: {
      tool_name: 'assemble_filing_draft',
      args: (s) => withWell(s, { form_type: 'R-32', as_of: s.as_of }),
    },
    args: (s, derived) => {
      const draft = (derived as R32DraftResult | undefined)?.draft;
      return draft ? { ...draft.application, filing_date: s.as_of } : undefined;
    },
    judge: (answer, label) => {
      const v = answer as R32Validation;
      const paths = R32_ITEM_PATHS[label];
      const issues = v.issues.filter(
        (i) => !paths || paths.some((p) => i.path === p || i.path.startsWith(`${p}.`)),
      );
      const errors = issues.filter((i) => i.severity === 'error');
      return {
        passed: errors.length === 0,
        summary:
          issues.length === 0
            ? 'R-32 pre-filing validation found no issue for this item (16 TAC §3.32)'
            : issues.map((i) => `${i.severity}: ${i.message}`).join('; '),
        figures: { valid: v.valid, filing_date: v.filing_date, issues },
      };
    },
  },

  flaring_assess: {
    args: (s) => withWell(s, { as_of: s.as_of }),
    judge: (answer) => {
      const a = answer as Assessment;
      const authorizations = a.authorizations.map((x) => ({
        authorization_id: x.authorization_id,
        cumulative_volume_mcf: x.cumulative_volume_mcf,
        authorised_volume_mcf: x.authorised_volume_mcf,
        volume_pct: x.volume_pct,
        days_used: x.days_used,
        days_remaining: x.days_remaining,
        expiry_date: x.expiry_date,
        level: x.level,
      }));
      // Within the authorisation unless the monitor raises a critical alert (volume used up,
      // expired or unauthorised flaring); its warnings (80 % / day 150) are reported, not failed.
      return {
        passed: a.level !== 'critical',
        summary:
          authorizations.length === 0
            ? `No flaring authorisation; level ${a.level}`
            : authorizations
                .map(
                  (x) =>
                    `${x.authorization_id}: ${x.cumulative_volume_mcf} of ${x.authorised_volume_mcf} mcf (${x.volume_pct} %), ${x.days_used} days used, level ${x.level}`,
                )
                .join('; '),
        figures: { as_of: a.as_of, level: a.level, authorizations, alerts: a.summary },
      };
    },
  },

  flaring_forecast: {
    args: (s) => withWell(s, { as_of: s.as_of }),
    judge: (answer) => {
      const f = answer as Forecasts;
      const forecasts = f.data.map((x) => ({
        authorization_id: x.authorization_id,
        burn_rate_mcf_per_day: x.burn_rate_mcf_per_day,
        remaining_volume_mcf: x.remaining_volume_mcf,
        exhaustion_date: x.exhaustion_date,
        binding_limit: x.binding_limit,
        binding_date: x.binding_date,
      }));
      return {
        passed: forecasts.length > 0,
        summary:
          forecasts.length === 0
            ? 'No authorisation to forecast'
            : forecasts
                .map(
                  (x) =>
                    `${x.authorization_id}: ${round(x.burn_rate_mcf_per_day)} mcf/day, runs out ${x.exhaustion_date ?? 'never at this rate'} (binding: ${x.binding_limit} on ${x.binding_date})`,
                )
                .join('; '),
        figures: { as_of: f.as_of, forecasts },
      };
    },
  },

  flaring_burn_rate: {
    args: (s) => withWell(s, { as_of: s.as_of }),
    judge: (answer) => {
      const b = answer as BurnRate;
      return {
        passed: true,
        summary: `${round(b.burn_rate_mcf_per_day)} mcf/day over ${b.window_days} days`,
        figures: { ...b },
      };
    },
  },

  flaring_emissions: {
    // The well's flaring of the last 90 days (the context's default window).
    args: (s) =>
      withWell(s, {
        from: `${addDays(s.as_of, -90)}T00:00:00Z`,
        to: `${s.as_of}T23:59:59Z`,
      }),
    judge: (answer) => {
      const e = answer as Emissions;
      return {
        passed: true,
        summary: `${e.total.volume_mcf} mcf → ${round(e.total.co2e_t, 2)} t CO2e (${e.composition_source} composition)`,
        figures: { total: e.total, composition_source: e.composition_source },
      };
    },
  },

  rule37_spacing: {
    args: (s) => withWell(s),
    judge: (answer, label) => {
      const r = answer as SpacingReport;
      const kind = spacingKind(label);
      const violations = r.violations.filter((v) => kind === undefined || v.kind === kind);
      return {
        passed: violations.length === 0,
        summary:
          violations.length === 0
            ? `Within the ${r.minimums.source} minimums (${r.rule})`
            : violations
                .map((v) => `${round(v.distance_ft)} ft against ${v.minimum_ft} ft (${v.kind})`)
                .join('; '),
        figures: {
          minimums: r.minimums,
          nearest_offset_ft: r.nearest_offset_ft,
          lease_line: r.lease_line,
          violations,
        },
      };
    },
  },

  assemble_filing_draft: {
    args: (s) => withWell(s, { form_type: s.form_type, as_of: s.as_of }),
    judge: (answer) => {
      const d = (answer as W1DraftResult | R32DraftResult).draft;
      return {
        passed: d.missing.length === 0,
        summary:
          d.missing.length === 0 ? `${d.form_type} draft complete` : `Missing: ${d.missing.join(', ')}`,
        figures: { form_type: d.form_type, missing: d.missing, checklist: d.checklist },
      };
    },
  },
};
