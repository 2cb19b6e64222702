import fc from 'fast-check';
import { applicableDomains, cellStatus, matrixRows, worstOf, type CellInput } from './cells';
import { BUCKETS, CELL_STATUSES, type AnomalyView, type Bucket, type DeadlineView } from './types';

const deadline = (bucket: Bucket, over: Partial<DeadlineView> = {}): DeadlineView => ({
  deadline_id: 'DL',
  label: 'ComplianceDeadline',
  kind: 'R-32 renewal',
  title: 'DL',
  due_date: '2026-06-01',
  days_until_due: 0,
  bucket,
  level: bucket === 'due_30d' ? 'warning' : bucket === 'upcoming' ? 'info' : 'critical',
  domain: 'rule_32',
  rule: '16 TAC §3.32 (Rule 32)',
  status: 'open',
  well_ids: ['W1'],
  message: '',
  ...over,
});
const anomaly = (level: AnomalyView['level']): AnomalyView => ({
  code: 'unauthorized_flaring',
  level,
  rule: '16 TAC §3.32 (Rule 32)',
  well_id: 'W1',
  period: '2026-05',
  domain: 'flaring',
  message: '',
});
const cell = (over: Partial<CellInput>): CellInput => ({
  applicable: true,
  inReview: false,
  deadlines: [],
  anomalies: [],
  ...over,
});

describe('cellStatus', () => {
  it.each<[string, CellInput, string]>([
    ['nothing, not applicable', cell({ applicable: false }), 'not_applicable'],
    ['applicable, nothing due', cell({}), 'compliant'],
    ['a deadline beyond 30 days', cell({ deadlines: [deadline('upcoming')] }), 'compliant'],
    [
      'a deadline, domain otherwise not applicable',
      cell({ applicable: false, deadlines: [deadline('upcoming')] }),
      'compliant',
    ],
    ['due within 7 days', cell({ deadlines: [deadline('due_7d')] }), 'action_needed'],
    ['due within 30 days', cell({ deadlines: [deadline('due_30d')] }), 'action_needed'],
    ['a critical anomaly', cell({ anomalies: [anomaly('critical')] }), 'action_needed'],
    ['an info anomaly only', cell({ anomalies: [anomaly('info')] }), 'compliant'],
    ['in review, due soon', cell({ inReview: true, deadlines: [deadline('due_7d')] }), 'in_review'],
    ['in review, not applicable otherwise', cell({ applicable: false, inReview: true }), 'in_review'],
    [
      'overdue, even in review',
      cell({ inReview: true, deadlines: [deadline('overdue'), deadline('due_7d')] }),
      'overdue',
    ],
  ])('%s → %s', (_, input, expected) => expect(cellStatus(input)).toBe(expected));

  it('adding a deadline never makes a cell less urgent', () => {
    const input = fc.record({
      applicable: fc.boolean(),
      inReview: fc.boolean(),
      deadlines: fc.array(
        fc.constantFrom(...BUCKETS).map((b) => deadline(b)),
        { maxLength: 4 },
      ),
      anomalies: fc.array(fc.constantFrom('critical', 'warning', 'info' as const).map(anomaly), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(input, fc.constantFrom(...BUCKETS), (c, b) => {
        const before = CELL_STATUSES.indexOf(cellStatus(c));
        const after = CELL_STATUSES.indexOf(cellStatus({ ...c, deadlines: [...c.deadlines, deadline(b)] }));
        return after <= before;
      }),
    );
  });
});

describe('worstOf', () => {
  it.each([
    [[], 'not_applicable'],
    [['compliant', 'not_applicable'], 'compliant'],
    [['compliant', 'in_review', 'action_needed'], 'in_review'],
    [['action_needed', 'overdue'], 'overdue'],
  ] as const)('%o → %s', (statuses, expected) => expect(worstOf(statuses)).toBe(expected));
});

describe('applicableDomains', () => {
  it.each([
    [{ status: 'permitted', productionMonths: 0, flareEvents: 0 }, ['rule_37']],
    [{ status: 'active', productionMonths: 0, flareEvents: 0 }, ['form_pr', 'rule_37']],
    [{ status: null, productionMonths: 3, flareEvents: 2 }, ['flaring', 'form_pr', 'rule_32', 'rule_37']],
  ])('%o → %o', (w, expected) =>
    expect([...applicableDomains({ id: 'W1', name: null, ...w })].sort()).toEqual(expected),
  );
});

describe('matrixRows', () => {
  it('gives each well its own deadlines and anomalies, and in_review per domain', () => {
    const wells = ['W1', 'W2'].map((id) => ({
      id,
      name: id,
      status: 'active',
      productionMonths: 1,
      flareEvents: 1,
    }));
    const rows = matrixRows(
      wells,
      [
        deadline('overdue', { well_ids: ['W1'] }),
        deadline('due_7d', { well_ids: ['W1', 'W2'], domain: 'form_pr', due_date: '2026-06-25' }),
      ],
      [anomaly('critical')],
      new Map([['W2', ['rule_32'] as const]]),
    );
    expect(
      rows.map((r) => [
        r.entity_id,
        r.cells.rule_32.status,
        r.cells.form_pr.status,
        r.cells.flaring.status,
        r.worst,
      ]),
    ).toEqual([
      ['W1', 'overdue', 'action_needed', 'action_needed', 'overdue'],
      ['W2', 'in_review', 'action_needed', 'compliant', 'in_review'],
    ]);
    expect(rows[0].cells.form_pr).toEqual({
      status: 'action_needed',
      open_deadlines: 1,
      next_due: '2026-06-25',
      anomalies: 0,
    });
  });
});
