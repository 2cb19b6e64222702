/** Reads the compliance monitor's alerts into the dashboard's terms: which bucket a deadline is in
 * (from the monitor's own `code`, so the two never disagree) and which domain column an alert
 * concerns. Pure. */
import type { AnomalyView, Bucket, DeadlineView, Domain, MonitorAlert } from './types';

/** The monitor's deadline codes (compliance-monitor domain/deadlines.ts `deadlineCode`). */
const BUCKET_OF_CODE: Readonly<Record<string, Bucket>> = {
  deadline_overdue: 'overdue',
  deadline_7d: 'due_7d',
  deadline_30d: 'due_30d',
  deadline_upcoming: 'upcoming',
};

export function bucketOf(code: string): Bucket {
  return BUCKET_OF_CODE[code] ?? 'upcoming';
}

/**
 * The column of a deadline: Rule 32 authorisation expiries and R-32 renewals (the monitor cites
 * 16 TAC §3.32), Form PR reports (16 TAC §3.58), Rule 37 permits and W-1 exceptions (16 TAC §3.37);
 * a deadline of any other kind is listed and counted but fills no column.
 */
export function deadlineDomain(rule: string, kind: string, label: string): Domain | null {
  if (/§\s*3\.32\b|rule\s*32|\br-?32\b/i.test(rule) || label === 'FlaringAuthorization') return 'rule_32';
  if (/form\s*pr|§\s*3\.58\b/i.test(rule) || /form\s*pr/i.test(kind)) return 'form_pr';
  if (/§\s*3\.37\b|rule\s*37|\bw-?1\b/i.test(`${rule} ${kind}`)) return 'rule_37';
  return null;
}

/** The column of a production anomaly: flaring with no authorisation is a flaring finding; the rest
 * (allowable, gas-oil ratio, zero production) are what the monthly Form PR reports. */
export function anomalyDomain(code: string): Domain {
  return /flar|vent/i.test(code) ? 'flaring' : 'form_pr';
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** A deadline alert of `POST /compliance/deadlines`. */
export function toDeadline(a: MonitorAlert): DeadlineView {
  const kind = str(a.data.kind, 'deadline');
  const days = typeof a.data.days_until_due === 'number' ? a.data.days_until_due : 0;
  return {
    deadline_id: a.entity.id,
    label: a.entity.label,
    kind,
    title: a.message.replace(/ (was|is) due .*$/, ''),
    due_date: str(a.data.due_date),
    days_until_due: days,
    bucket: bucketOf(a.code),
    level: a.level,
    domain: deadlineDomain(a.rule, kind, a.entity.label),
    rule: a.rule,
    status: str(a.data.status, 'open'),
    well_ids: strings(a.data.well_ids),
    message: a.message,
  };
}

/** A production alert of `POST /compliance/production` (always about one well and one month). */
export function toAnomaly(a: MonitorAlert): AnomalyView {
  return {
    code: a.code,
    level: a.level,
    rule: a.rule,
    well_id: str(a.data.well_id, a.entity.id),
    period: str(a.data.period),
    domain: anomalyDomain(a.code),
    message: a.message,
  };
}
