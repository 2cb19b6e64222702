/** The alert every calculation produces (PLAN11 contract 4): which rule and which data produced it. */
export const LEVELS = ['critical', 'warning', 'info'] as const;
export type Level = (typeof LEVELS)[number];

export const SOURCE = 'compliance-monitor';

export interface AlertEntity {
  label: string;
  id: string;
}

/** An alert before it is stored: the calculations are pure, the store adds id, tenant and time. */
export interface AlertDraft {
  level: Level;
  code: string;
  rule: string;
  entity: AlertEntity;
  message: string;
  data: Record<string, unknown>;
  /** Unique per tenant: code + entity + the period or threshold crossed. */
  dedupe_key: string;
}

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
