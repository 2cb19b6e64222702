import { RULES, type AlertDraft, type Level } from './alerts';
import { daysBetween } from './dates';
import type { DeadlineItem } from './portfolio';

/** domain.md "Production and other filings": CRITICAL when overdue or due within 7 days, WARNING
 * within 30 days, INFO otherwise. Boundaries: day 7 is critical, day 8 warning; day 30 warning, 31 info. */
export const CRITICAL_DAYS = 7;
export const WARNING_DAYS = 30;

export function deadlineLevel(daysUntilDue: number): Level {
  if (daysUntilDue <= CRITICAL_DAYS) return 'critical';
  if (daysUntilDue <= WARNING_DAYS) return 'warning';
  return 'info';
}

export function deadlineCode(daysUntilDue: number): string {
  if (daysUntilDue < 0) return 'deadline_overdue';
  if (daysUntilDue <= CRITICAL_DAYS) return 'deadline_7d';
  if (daysUntilDue <= WARNING_DAYS) return 'deadline_30d';
  return 'deadline_upcoming';
}

/** The rule a deadline comes from, by what it is. */
export function deadlineRule(d: DeadlineItem): string {
  if (d.label === 'FlaringAuthorization') return RULES.rule32;
  if (d.label === 'Permit') return RULES.permit;
  if (/form\s*pr/i.test(d.kind)) return RULES.formPr;
  if (/r-?32/i.test(d.kind)) return RULES.rule32;
  return RULES.deadline;
}

/** Statuses of a ComplianceDeadline that close it (the graph's `deadlines_due_within` template). */
export const CLOSED_DEADLINE = new Set(['completed', 'filed', 'cancelled']);

/** One alert per deadline due within `windowDays` of `asOf` (overdue ones always). */
export function deadlineAlerts(
  items: readonly DeadlineItem[],
  asOf: string,
  windowDays: number,
): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  for (const d of items) {
    const days = daysBetween(asOf, d.dueDate);
    if (days > windowDays) continue;
    const code = deadlineCode(days);
    alerts.push({
      level: deadlineLevel(days),
      code,
      rule: deadlineRule(d),
      entity: { label: d.label, id: d.id },
      message:
        days < 0
          ? `${d.title} was due ${d.dueDate}, ${-days} day(s) ago`
          : `${d.title} is due ${d.dueDate}, in ${days} day(s)`,
      data: {
        kind: d.kind,
        due_date: d.dueDate,
        days_until_due: days,
        as_of: asOf,
        status: d.status,
        well_ids: d.wellIds,
      },
      dedupe_key: `${code}:${d.label}:${d.id}:${d.dueDate}`,
    });
  }
  return alerts;
}
