import type { Minimums, Violation } from './spacing';
import { RULE_37 } from './spacing';

/**
 * Filing drafts, pure: a Form W-1 Rule 37 exception (16 TAC §3.37) and a Form R-32 flaring
 * exception (16 TAC §3.32), assembled from what the tools read, with a checklist of what is still
 * missing. Nothing here files anything: submitting is a mutating tool behind an approval.
 */

export const RULE_32 = '16 TAC §3.32';
/** 16 TAC §3.32: an exception is granted for at most 180 days at a time. */
export const R32_MAX_DAYS = 180;

export interface Party {
  id: string | null;
  name: string | null;
  number: string | null;
}

export interface ChecklistItem {
  item: string;
  complete: boolean;
}

/** What a W-1 is about: the parties, the location and its spacing figures. */
export interface W1Subject {
  operator: Party;
  lease: Party;
  field: Party;
  well: { api_number: string | null; name: string | null };
  location: { latitude: number; longitude: number };
  minimums: Minimums;
  violations: Violation[];
}

export interface W1Draft extends W1Subject {
  form_type: 'W-1';
  rule: string;
  purpose: string;
  offset_operators_to_notify: string[];
  good_cause_narrative: string;
  checklist: ChecklistItem[];
  missing: string[];
}

export interface W1Facts extends W1Subject {
  offsetOperators: string[];
  /** The operator's own reason, when given; the template narrative otherwise. */
  goodCause?: string;
}

const ft = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} ft`;

/** The good-cause narrative of a W-1 from its violations (a template the reviewer edits). */
export function goodCauseNarrative(f: W1Facts): string {
  const where = `${f.well.name ?? f.well.api_number ?? 'the proposed well'} on the ${f.lease.name ?? 'lease'} lease${f.field.name ? ` in the ${f.field.name} field` : ''}`;
  const lines = f.violations.map((v) =>
    v.kind === 'lease_line'
      ? `${ft(v.distance_ft)} from the nearest lease line, ${ft(v.shortfall_ft)} inside the ${ft(v.minimum_ft)} minimum`
      : `${ft(v.distance_ft)} from well ${v.well_id ?? '?'} on the same lease, ${ft(v.shortfall_ft)} inside the ${ft(v.minimum_ft)} between-well minimum`,
  );
  const reason =
    f.goodCause ??
    'the location is needed to recover hydrocarbons that would otherwise not be recovered by existing wells (prevention of waste) and to protect correlative rights';
  return [
    `${f.operator.name ?? 'The operator'} requests an exception to ${RULE_37} for ${where}.`,
    lines.length > 0 ? `The location is ${lines.join('; ')}.` : 'The location meets the spacing minimums.',
    `Good cause: ${reason}.`,
    f.offsetOperators.length > 0
      ? `Notice will be given to the offset operators (P-5 ${f.offsetOperators.join(', ')}).`
      : 'No offset operator on another lease is within the search radius.',
  ].join(' ');
}

/** A W-1 (Rule 37 exception) draft with its checklist. */
export function assembleW1(f: W1Facts): W1Draft {
  const narrative = goodCauseNarrative(f);
  const checklist: ChecklistItem[] = [
    { item: 'Operator P-5 number', complete: !!f.operator.number },
    { item: 'Lease name and number', complete: !!f.lease.number },
    { item: 'Field name and number', complete: !!f.field.number },
    { item: 'Surface location (latitude/longitude)', complete: true },
    { item: 'Spacing violations measured', complete: true },
    { item: 'Good-cause reason confirmed by the operator', complete: !!f.goodCause },
    { item: 'Notice to offset operators', complete: f.offsetOperators.length === 0 },
  ];
  return {
    form_type: 'W-1',
    rule: RULE_37,
    purpose: f.violations.length > 0 ? 'Rule 37 exception' : 'Drilling permit (no exception needed)',
    operator: f.operator,
    lease: f.lease,
    field: f.field,
    well: f.well,
    location: f.location,
    minimums: f.minimums,
    violations: f.violations,
    offset_operators_to_notify: f.offsetOperators,
    good_cause_narrative: narrative,
    checklist,
    missing: checklist.filter((c) => !c.complete).map((c) => c.item),
  };
}

export interface R32Facts {
  operator: Party;
  lease: Party & { district: string | null };
  wellIds: string[];
  requestedMcfPerDay: number | null;
  startDate: string;
  durationDays: number;
  /** The longest exception granted at a time: the active `rule_32` version's `max_exception_days`
   * (default the bundled 180 days of 16 TAC §3.32). */
  maxDays?: number;
  renewal: boolean;
  reason: string | null;
  justification: string | null;
  gatheringConnectionDate: string | null;
  /** The authorisation this renews, with its figures as the flaring monitor assessed them. */
  current?: {
    authorization_id: string;
    expiry_date: string;
    volume_pct: number;
    cumulative_volume_mcf: number;
    authorised_volume_mcf: number;
  };
  burnRateMcfPerDay: number | null;
}

export interface R32Draft {
  form_type: 'R-32';
  rule: string;
  /** The application as the flaring monitor's `/flaring/validate` takes it. */
  application: {
    operator_number?: string;
    operator_name?: string;
    lease_number?: string;
    district?: string;
    well_ids: string[];
    requested_volume_mcf_per_day?: number;
    start_date: string;
    end_date: string;
    renewal: boolean;
    justification?: string;
    reason?: string;
    gathering_plan?: { description?: string; connection_date?: string };
  };
  current_authorization: R32Facts['current'] | null;
  burn_rate_mcf_per_day: number | null;
  duration_days: number;
  checklist: ChecklistItem[];
  missing: string[];
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const opt = <T>(v: T | null | undefined) => (v === null || v === undefined || v === '' ? undefined : v);

/** An R-32 (flaring exception) draft: at most `maxDays` (16 TAC §3.32: 180) days, with its checklist. */
export function assembleR32(f: R32Facts): R32Draft {
  const maxDays = f.maxDays ?? R32_MAX_DAYS;
  const days = Math.min(maxDays, Math.max(1, Math.round(f.durationDays)));
  const justification =
    f.justification ??
    (f.renewal && f.current
      ? `Renewal of ${f.current.authorization_id} (expires ${f.current.expiry_date}): ${f.current.cumulative_volume_mcf} of ${f.current.authorised_volume_mcf} mcf used (${f.current.volume_pct} %); the gathering line is not yet connected.`
      : null);
  const application: R32Draft['application'] = {
    operator_number: opt(f.operator.number),
    operator_name: opt(f.operator.name),
    lease_number: opt(f.lease.number),
    district: opt(f.lease.district),
    well_ids: f.wellIds,
    requested_volume_mcf_per_day: opt(f.requestedMcfPerDay),
    start_date: f.startDate,
    end_date: addDays(f.startDate, days),
    renewal: f.renewal,
    justification: opt(justification),
    reason: opt(f.reason),
    gathering_plan: f.gatheringConnectionDate
      ? {
          description: 'Connect the well(s) to the gathering system when capacity is available',
          connection_date: f.gatheringConnectionDate,
        }
      : undefined,
  };
  const checklist: ChecklistItem[] = [
    { item: 'Operator P-5 number', complete: !!application.operator_number },
    { item: 'Lease number and district', complete: !!application.lease_number && !!application.district },
    { item: 'Well API numbers', complete: f.wellIds.length > 0 },
    { item: 'Requested volume (mcf/day)', complete: application.requested_volume_mcf_per_day !== undefined },
    { item: `Duration within ${maxDays} days`, complete: true },
    { item: 'Reason for flaring', complete: !!application.reason },
    { item: 'Renewal justification', complete: !f.renewal || !!application.justification },
    { item: 'Gathering-line connection plan', complete: !!application.gathering_plan },
  ];
  return {
    form_type: 'R-32',
    rule: RULE_32,
    application,
    current_authorization: f.current ?? null,
    burn_rate_mcf_per_day: f.burnRateMcfPerDay,
    duration_days: days,
    checklist,
    missing: checklist.filter((c) => !c.complete).map((c) => c.item),
  };
}
