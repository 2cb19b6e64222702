import type { GraphEntityRef } from './impact';
import type { ParametersOf, RuleKind } from './kinds';

/** A rule the library ships: every tenant gets it as an active version 1 on first use. */
export interface BundledRule<K extends RuleKind = RuleKind> {
  rule_id: string;
  rule_key: string;
  kind: K;
  title: string;
  citation: string;
  agency: string;
  description: string;
  /** The Regulation entity of the knowledge graph (the demo data's ids). */
  graph_entity: GraphEntityRef;
  parameters: ParametersOf<K>;
}

const bundled = <K extends RuleKind>(rule: BundledRule<K>): BundledRule<K> => rule;

/** 16 TAC §3.32 (Rule 32): statewide flaring and venting limits and alert thresholds. */
export const RULE_32 = bundled({
  rule_id: 'rul-rule-32',
  rule_key: 'rule_32',
  kind: 'rule_32',
  title: 'Rule 32 — Gas flaring and venting',
  citation: '16 TAC §3.32',
  agency: 'RRC',
  graph_entity: { label: 'Regulation', id: 'REG-TAC-3.32' },
  description:
    'Flaring or venting needs an exception (Form R-32) of at most 180 days at a time with a maximum volume; cumulative volume at 80 % of the authorised volume warns and at 100 % is critical, 150 of the 180 days used warns, and a gathering-line connection more than 60 days away is flagged.',
  parameters: {
    max_exception_days: 180, // 16 TAC §3.32: an exception is granted for at most 180 days at a time
    volume_warning_pct: 80, // Rule 32 monitoring: ≥ 80 % of the authorised volume → WARNING
    volume_critical_pct: 100, // Rule 32 monitoring: ≥ 100 % → CRITICAL
    days_used_warning: 150, // Rule 32 monitoring: 150 of the 180 authorised days used → WARNING
    gathering_line_connection_max_days: 60, // R-32 pre-filing check: connection > 60 days away is flagged
  },
});

/** 16 TAC §3.37 (Rule 37): statewide spacing minimums (field rules may override them). */
export const RULE_37 = bundled({
  rule_id: 'rul-rule-37',
  rule_key: 'rule_37',
  kind: 'rule_37',
  title: 'Rule 37 — Statewide spacing',
  citation: '16 TAC §3.37',
  agency: 'RRC',
  graph_entity: { label: 'Regulation', id: 'REG-TAC-3.37' },
  description:
    'Wells must be at least 467 ft from any lease or property line and 1,200 ft from other wells on the same lease in the same reservoir, unless a field rule says otherwise; the default proration unit is 40 acres. A violation needs a Rule 37 exception (Form W-1).',
  parameters: {
    lease_line_min_ft: 467, // 16 TAC §3.37: 467 ft from any lease or property line
    between_well_min_ft: 1_200, // 16 TAC §3.37: 1,200 ft between wells on the lease, same reservoir
    default_proration_unit_acres: 40, // 16 TAC §3.37 / §3.38: default proration unit of 40 acres
    field_rules: [],
  },
});

/** Form PR (16 TAC §3.58): the monthly production and disposition report per lease. */
export const FORM_PR = bundled({
  rule_id: 'rul-form-pr',
  rule_key: 'form_pr',
  kind: 'form_pr',
  title: 'Rule 58 — Monthly production report (Form PR)',
  citation: '16 TAC §3.58',
  agency: 'RRC',
  graph_entity: { label: 'Regulation', id: 'REG-TAC-3.58' },
  description:
    'Each lease files a monthly production and disposition report (Form PR; flared gas under disposition code 10, vented under 11). A missing or late report is a deadline like any other; the report is due on the 15th day of the second month after the production month.',
  parameters: {
    frequency: 'monthly', // 16 TAC §3.58: one report per lease and month
    due_months_after_production: 2, // 16 TAC §3.58: due in the second month after production …
    due_day_of_month: 15, // … on its 15th day
  },
});

/** EPA NSPS 40 CFR 60 Subpart OOOOb: new-source performance standards for oil and gas facilities. */
export const NSPS_OOOOB = bundled({
  rule_id: 'rul-nsps-oooob',
  rule_key: 'nsps_oooob',
  kind: 'nsps_oooob',
  title: 'NSPS OOOOb — Crude oil and natural gas facilities',
  citation: '40 CFR Part 60 Subpart OOOOb',
  agency: 'EPA',
  graph_entity: { label: 'Regulation', id: 'REG-NSPS-OOOOB' },
  description:
    'Wells spudded after 2021-11-15 are subject to EPA NSPS OOOOb; each of their flaring events carries an INFO alert.',
  parameters: {
    spud_after: '2021-11-15', // domain: a well spudded after 2021-11-15 is subject to NSPS OOOOb
    alert_level: 'info', // Rule 32 monitoring: OOOOb → INFO on each event
  },
});

/** The rules every tenant starts with, each as an active version 1. */
export const BUNDLED_RULES: readonly BundledRule[] = [RULE_32, RULE_37, FORM_PR, NSPS_OOOOB];

/** The bundled rule keys and their kinds, so the typed reader knows a bundled key's parameters. */
export interface BundledKinds {
  rule_32: 'rule_32';
  rule_37: 'rule_37';
  form_pr: 'form_pr';
  nsps_oooob: 'nsps_oooob';
}
export type BundledRuleKey = keyof BundledKinds;
