import { parseWith } from '@aegis/common';
import { z } from 'zod';

/**
 * The kinds of rule the library knows. A rule's kind fixes the shape of its versions' parameters (one
 * zod schema per kind), so every new version is validated before it is stored and the tools reading
 * the active version get typed values. `generic` is a rule the tools do not read (free parameters).
 */
export const RULE_KINDS = ['rule_32', 'rule_37', 'form_pr', 'nsps_oooob', 'generic'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const feet = z.number().positive().max(52_800, { message: 'must be at most 52800 (10 miles)' });
const percent = z.number().positive().max(1_000);
const days = z.number().int().positive().max(3_650);

/** 16 TAC §3.32 (Rule 32, flaring and venting): the limits and alert thresholds of an exception. */
export const rule32Parameters = z
  .strictObject({
    /** An exception is granted for at most this many days at a time (statewide: 180). */
    max_exception_days: days,
    /** Cumulative flared volume at or above this share of the authorised volume → WARNING (80). */
    volume_warning_pct: percent,
    /** … at or above this share → CRITICAL (100). */
    volume_critical_pct: percent,
    /** This many authorised days used → WARNING (150 of 180). */
    days_used_warning: days,
    /** An R-32 whose gathering-line connection is further away than this is flagged (60). */
    gathering_line_connection_max_days: days,
  })
  .refine((p) => p.volume_warning_pct < p.volume_critical_pct, {
    message: 'volume_warning_pct must be below volume_critical_pct',
    path: ['volume_warning_pct'],
  })
  .refine((p) => p.days_used_warning < p.max_exception_days, {
    message: 'days_used_warning must be below max_exception_days',
    path: ['days_used_warning'],
  })
  .meta({ id: 'Rule32Parameters' });

/** A field rule of Rule 37: when a well's field has one, it wins over the statewide minimums. */
export const fieldSpacingRule = z.strictObject({
  /** RRC field number (digits). */
  field_number: z.string().regex(/^\d{1,8}$/, { message: 'must be an RRC field number (1-8 digits)' }),
  field_name: z.string().min(1).max(200).optional(),
  lease_line_min_ft: feet,
  between_well_min_ft: feet,
  proration_unit_acres: z.number().positive().max(10_000).optional(),
});

/** 16 TAC §3.37 (Rule 37, well spacing): statewide minimums and field rules that override them. */
export const rule37Parameters = z
  .strictObject({
    /** Minimum distance from any lease or property line (statewide: 467 ft). */
    lease_line_min_ft: feet,
    /** Minimum distance between wells on the same lease in the same reservoir (statewide: 1,200 ft). */
    between_well_min_ft: feet,
    /** Default proration unit (40 acres). */
    default_proration_unit_acres: z.number().positive().max(10_000),
    /** Field rules (e.g. 1,320 ft between wells in some fields); at most one per field. */
    field_rules: z.array(fieldSpacingRule).max(500),
  })
  .refine((p) => new Set(p.field_rules.map((f) => f.field_number)).size === p.field_rules.length, {
    message: 'field_rules must name each field_number once',
    path: ['field_rules'],
  })
  .meta({ id: 'Rule37Parameters' });

/** Form PR (16 TAC §3.58): the monthly production and disposition report per lease and its due date. */
export const formPrParameters = z
  .strictObject({
    frequency: z.literal('monthly'),
    /** The report is due this many months after the production month … */
    due_months_after_production: z.number().int().min(1).max(12),
    /** … on this day of that month (clamped to the month's last day). */
    due_day_of_month: z.number().int().min(1).max(31),
  })
  .meta({ id: 'FormPrParameters' });

const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

/** EPA NSPS 40 CFR 60 Subpart OOOOb: which wells it applies to (domain: spudded after 2021-11-15). */
export const nspsOooobParameters = z
  .strictObject({
    /** Wells spudded after this date are subject to OOOOb (an INFO alert on each flaring event). */
    spud_after: isoDate,
    alert_level: z.enum(['info', 'warning', 'critical']),
  })
  .meta({ id: 'NspsOooobParameters' });

/** A rule of no kind the tools read: any JSON object. */
export const genericParameters = z.record(z.string().min(1).max(100), z.json()).meta({
  id: 'GenericRuleParameters',
});

export const PARAMETER_SCHEMAS = {
  rule_32: rule32Parameters,
  rule_37: rule37Parameters,
  form_pr: formPrParameters,
  nsps_oooob: nspsOooobParameters,
  generic: genericParameters,
} as const satisfies Record<RuleKind, z.ZodType>;

export type ParametersOf<K extends RuleKind> = z.output<(typeof PARAMETER_SCHEMAS)[K]>;
export type Rule32Parameters = ParametersOf<'rule_32'>;
export type Rule37Parameters = ParametersOf<'rule_37'>;
export type FormPrParameters = ParametersOf<'form_pr'>;
export type NspsOooobParameters = ParametersOf<'nsps_oooob'>;

/** Validates `value` as the parameters of a rule of `kind`: 422 with `loc` under `where` (e.g.
 * `['body', 'parameters']`) naming each problem. */
export function parseParameters<K extends RuleKind>(
  kind: K,
  value: unknown,
  where: 'body' | 'stored' = 'body',
): ParametersOf<K> {
  const schema = z.strictObject({
    parameters: PARAMETER_SCHEMAS[kind] as unknown as z.ZodType<ParametersOf<K>>,
  });
  return parseWith(schema, { parameters: value }, where).parameters;
}

/** The day a Form PR for `productionMonth` (`YYYY-MM`) is due under `params` (`YYYY-MM-DD`): the
 * configured day of the month `due_months_after_production` later, or that month's last day. */
export function formPrDueDate(productionMonth: string, params: FormPrParameters): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(productionMonth);
  if (!match) throw new TypeError(`Production month must be YYYY-MM, got ${JSON.stringify(productionMonth)}`);
  const monthIndex = Number(match[1]) * 12 + Number(match[2]) - 1 + params.due_months_after_production;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(params.due_day_of_month, lastDay);
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
