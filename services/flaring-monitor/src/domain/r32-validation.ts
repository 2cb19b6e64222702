import {
  parseApiNumber,
  parseDistrict,
  parseLeaseNumber,
  parseOperatorNumber,
  type Parsed,
} from '@aegis/common';
import { daysBetween } from './days';
import { COMPOSITION_TOLERANCE, compositionSum } from './emissions';
import type { GasComposition } from './emission-factors';
import { MAX_AUTHORISED_DAYS, RULE_32 } from './rule32';

/** A Form R-32 application as submitted for pre-filing validation: everything optional, so that what
 * is missing is reported as an issue rather than refused. */
export interface R32Application {
  operator_number?: string;
  operator_name?: string;
  lease_number?: string;
  district?: string;
  well_ids?: string[];
  requested_volume_mcf_per_day?: number;
  start_date?: string;
  end_date?: string;
  renewal?: boolean;
  justification?: string;
  reason?: string;
  gathering_plan?: { description?: string; connection_date?: string };
  emissions_estimate_requested?: boolean;
  gas_analysis?: Partial<GasComposition>;
}

export interface R32Issue {
  /** Where in the application: `operator_number`, `well_ids[1]`, `gathering_plan.connection_date`. */
  path: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  rule: string;
}

/** A gathering-line connection further away than this from the filing date is flagged (domain.md). */
export const CONNECTION_WARNING_DAYS = 60;

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/**
 * Form R-32 pre-filing checks (domain.md "Rule 32"): identifiers present and well-formed; requested
 * volume and duration within limits; a reason; a plan for connecting to a gathering line (flagged when
 * absent or more than 60 days away); a gas analysis when an emissions estimate is requested.
 * Returns every issue found, errors and warnings, in field order.
 */
export function validateR32(app: R32Application, filingDate: string): R32Issue[] {
  const issues: R32Issue[] = [];
  const add = (path: string, severity: R32Issue['severity'], code: string, message: string) =>
    issues.push({ path, severity, code, message, rule: RULE_32 });
  const identifier = (path: string, value: string | undefined, parse: (s: string) => Parsed<string>) => {
    if (blank(value)) {
      add(path, 'error', 'missing', `${path} is required`);
      return;
    }
    const r = parse(value!);
    if (!r.ok) add(path, 'error', 'malformed', `${path} ${r.reason}`);
  };

  identifier('operator_number', app.operator_number, parseOperatorNumber);
  identifier('lease_number', app.lease_number, parseLeaseNumber);
  identifier('district', app.district, parseDistrict);
  if (!app.well_ids || app.well_ids.length === 0)
    add('well_ids', 'error', 'missing', 'at least one well (API number) is required');
  else app.well_ids.forEach((w, i) => identifier(`well_ids[${i}]`, w, parseApiNumber));

  const v = app.requested_volume_mcf_per_day;
  if (v === undefined)
    add('requested_volume_mcf_per_day', 'error', 'missing', 'requested_volume_mcf_per_day is required');
  else if (!(v > 0))
    add(
      'requested_volume_mcf_per_day',
      'error',
      'out_of_range',
      'requested_volume_mcf_per_day must be greater than 0',
    );

  if (blank(app.start_date)) add('start_date', 'error', 'missing', 'start_date is required');
  if (blank(app.end_date)) add('end_date', 'error', 'missing', 'end_date is required');
  if (!blank(app.start_date) && !blank(app.end_date)) {
    const days = daysBetween(app.start_date!, app.end_date!);
    if (days <= 0) add('end_date', 'error', 'end_before_start', 'end_date must be after start_date');
    else if (days > MAX_AUTHORISED_DAYS)
      add(
        'end_date',
        'error',
        'duration_over_limit',
        `the requested ${days} days exceed the ${MAX_AUTHORISED_DAYS} days Rule 32 allows at a time`,
      );
  }
  if (app.renewal && blank(app.justification))
    add('justification', 'error', 'missing', 'a renewal needs a justification');

  if (blank(app.reason)) add('reason', 'error', 'missing', 'a reason for flaring is required');

  const plan = app.gathering_plan;
  if (!plan || (blank(plan.description) && blank(plan.connection_date)))
    add(
      'gathering_plan',
      'warning',
      'no_gathering_plan',
      'there is no plan for connecting to a gathering line',
    );
  else if (blank(plan.connection_date))
    add(
      'gathering_plan.connection_date',
      'warning',
      'no_connection_date',
      'the gathering plan has no connection date',
    );
  else {
    const away = daysBetween(filingDate, plan.connection_date!);
    if (away > CONNECTION_WARNING_DAYS)
      add(
        'gathering_plan.connection_date',
        'warning',
        'connection_far',
        `the gathering-line connection is ${away} days away (more than ${CONNECTION_WARNING_DAYS})`,
      );
  }

  if (app.emissions_estimate_requested && !app.gas_analysis)
    add(
      'gas_analysis',
      'error',
      'missing',
      'a gas analysis is required when an emissions estimate is requested',
    );
  if (app.gas_analysis) {
    const sum = compositionSum(app.gas_analysis);
    if (Math.abs(sum - 1) > COMPOSITION_TOLERANCE)
      add(
        'gas_analysis',
        'error',
        'composition_sum',
        `the mole fractions sum to ${Math.round(sum * 10000) / 10000}, not 1`,
      );
  }
  return issues;
}
