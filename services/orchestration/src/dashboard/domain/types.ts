/** The vocabulary of the compliance dashboard (spec §8 orchestration "Compliance dashboard"). Pure. */
import type { AlertDraft } from '@aegis/common';

/** The matrix columns: the regulatory domains a well answers to. */
export const DOMAINS = ['rule_37', 'rule_32', 'form_pr', 'flaring'] as const;
export type Domain = (typeof DOMAINS)[number];

/** A cell's status, most urgent first (the order `worstOf` ranks by). */
export const CELL_STATUSES = [
  'overdue',
  'in_review',
  'action_needed',
  'compliant',
  'not_applicable',
] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

/** Where a deadline falls as of a day, from the compliance monitor's alert `code` (domain.md:
 * CRITICAL = overdue or due within 7 days, WARNING = within 30 days, INFO = later). The buckets are
 * disjoint: `due_7d` is 0–7 days, `due_30d` 8–30 days, so overdue + due_7d is the monitor's critical
 * count and due_30d its warning count. */
export const BUCKETS = ['overdue', 'due_7d', 'due_30d', 'upcoming'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** An alert as the compliance monitor answers it (`ComplianceAlert` of its OpenAPI document). */
export type MonitorAlert = AlertDraft;

/** A deadline alert read for the dashboard. */
export interface DeadlineView {
  deadline_id: string;
  label: string;
  kind: string;
  title: string;
  due_date: string;
  days_until_due: number;
  bucket: Bucket;
  level: AlertDraft['level'];
  domain: Domain | null;
  rule: string;
  status: string;
  well_ids: string[];
  message: string;
}

/** A production anomaly read for the dashboard. */
export interface AnomalyView {
  code: string;
  level: AlertDraft['level'];
  rule: string;
  well_id: string;
  period: string;
  domain: Domain;
  message: string;
}

/** Which wells have a filing or checklist in review, per domain (the checklists module supplies it). */
export type InReview = ReadonlyMap<string, readonly Domain[]>;
