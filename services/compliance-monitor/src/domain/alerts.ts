/** The alert every calculation produces: which rule and which data produced it (the monitors' shared
 * shape, `AlertDraft` of @aegis/common; its `dedupe_key` is unique per tenant: code + entity + the
 * period or threshold crossed). */
import { ALERT_LEVELS, type AlertDraft, type AlertLevel } from '@aegis/common';

export const LEVELS = ALERT_LEVELS;
export type Level = AlertLevel;
export type { AlertDraft };
export type AlertEntity = AlertDraft['entity'];

export const SOURCE = 'compliance-monitor';

export const levelRank: Record<Level, number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first, then the soonest (a deadline's due date, a production month), then by key, so
 * answers are deterministic. */
export function sortAlerts<T extends AlertDraft>(alerts: T[]): T[] {
  const when = (a: AlertDraft) => {
    const at = a.data.due_date ?? a.data.period;
    return typeof at === 'string' ? at : '';
  };
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return alerts.sort(
    (a, b) =>
      levelRank[a.level] - levelRank[b.level] || cmp(when(a), when(b)) || cmp(a.dedupe_key, b.dedupe_key),
  );
}

export function countByLevel(alerts: readonly AlertDraft[]): Record<Level, number> {
  const counts: Record<Level, number> = { critical: 0, warning: 0, info: 0 };
  for (const a of alerts) counts[a.level] += 1;
  return counts;
}

/** The rules cited by the alerts, one string each. */
export const RULES = {
  rule32: '16 TAC §3.32 (Rule 32)',
  formPr: 'Form PR (16 TAC §3.58)',
  permit: 'Permit expiry (16 TAC §3.5)',
  deadline: 'Compliance deadline',
  allowable: '16 TAC §3.52 (oil well allowable)',
  gor: '16 TAC §3.49 (gas-oil ratio)',
  inactive: '16 TAC §3.14 (inactive wells)',
} as const;
