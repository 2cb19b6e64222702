import { deadlineAlerts, deadlineLevel } from './deadlines';
import type { DeadlineItem } from './portfolio';

const item = (id: string, dueDate: string, kind = 'Form PR'): DeadlineItem => ({
  label: 'ComplianceDeadline',
  id,
  kind,
  title: `Deadline ${id}`,
  dueDate,
  status: 'open',
  wellIds: [],
});

describe('deadline alert levels (domain.md: critical overdue or ≤ 7 days, warning ≤ 30, info after)', () => {
  it('puts day 7 in critical and day 8 in warning, day 30 in warning and day 31 in info', () => {
    expect([-1, 0, 7, 8, 30, 31].map(deadlineLevel)).toEqual([
      'critical',
      'critical',
      'critical',
      'warning',
      'warning',
      'info',
    ]);
  });

  it('gives each deadline in the window one alert naming the rule, the due date and the days left', () => {
    // as_of 2026-06-01: 2026-05-31 is 1 day overdue, 06-08 is 7 days away, 06-09 8, 07-01 30, 07-02 31.
    const alerts = deadlineAlerts(
      [
        item('a', '2026-05-31'),
        item('b', '2026-06-08'),
        item('c', '2026-06-09', 'R-32 renewal'),
        item('d', '2026-07-01', 'other'),
        item('e', '2026-07-02'),
        item('f', '2026-09-01'),
      ],
      '2026-06-01',
      60,
    );
    expect(alerts.map((a) => [a.entity.id, a.level, a.code, a.data.days_until_due])).toEqual([
      ['a', 'critical', 'deadline_overdue', -1],
      ['b', 'critical', 'deadline_7d', 7],
      ['c', 'warning', 'deadline_30d', 8],
      ['d', 'warning', 'deadline_30d', 30],
      ['e', 'info', 'deadline_upcoming', 31],
    ]);
    expect(alerts.map((a) => a.rule)).toEqual([
      'Form PR (16 TAC §3.58)',
      'Form PR (16 TAC §3.58)',
      '16 TAC §3.32 (Rule 32)',
      'Compliance deadline',
      'Form PR (16 TAC §3.58)',
    ]);
    expect(alerts[0].dedupe_key).toBe('deadline_overdue:ComplianceDeadline:a:2026-05-31');
  });
});
