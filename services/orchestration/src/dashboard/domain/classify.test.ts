import { anomalyDomain, bucketOf, deadlineDomain, toDeadline } from './classify';

describe('bucketOf', () => {
  it.each([
    ['deadline_overdue', 'overdue'],
    ['deadline_7d', 'due_7d'],
    ['deadline_30d', 'due_30d'],
    ['deadline_upcoming', 'upcoming'],
    ['something_else', 'upcoming'],
  ])('the monitor’s %s is %s', (code, bucket) => expect(bucketOf(code)).toBe(bucket));
});

describe('deadlineDomain', () => {
  it.each([
    ['16 TAC §3.32 (Rule 32)', 'R-32 authorisation expiry', 'FlaringAuthorization', 'rule_32'],
    ['16 TAC §3.32 (Rule 32)', 'R-32 renewal', 'ComplianceDeadline', 'rule_32'],
    ['Form PR (16 TAC §3.58)', 'Form PR', 'ComplianceDeadline', 'form_pr'],
    ['Permit expiry (16 TAC §3.5)', 'W-1 expiry', 'Permit', 'rule_37'],
    ['Compliance deadline', 'Rule 37 exception hearing', 'ComplianceDeadline', 'rule_37'],
    ['Permit expiry (16 TAC §3.5)', 'W-2 expiry', 'Permit', null],
    ['Compliance deadline', 'annual report', 'ComplianceDeadline', null],
  ])('%s / %s / %s → %s', (rule, kind, label, domain) =>
    expect(deadlineDomain(rule, kind, label)).toBe(domain),
  );
});

describe('anomalyDomain', () => {
  it.each([
    ['unauthorized_flaring', 'flaring'],
    ['allowable_exceeded', 'form_pr'],
    ['gor_anomaly', 'form_pr'],
    ['gor_limit_exceeded', 'form_pr'],
    ['zero_production', 'form_pr'],
  ])('%s → %s', (code, domain) => expect(anomalyDomain(code)).toBe(domain));
});

describe('toDeadline', () => {
  it('reads a monitor alert: title, due date, days, bucket, domain and wells', () => {
    const d = toDeadline({
      level: 'critical',
      code: 'deadline_overdue',
      rule: '16 TAC §3.32 (Rule 32)',
      entity: { label: 'ComplianceDeadline', id: 'DL-1' },
      message: 'Renew Rule 32 exception 1 was due 2026-06-16, 4 day(s) ago',
      data: {
        kind: 'R-32 renewal',
        due_date: '2026-06-16',
        days_until_due: -4,
        status: 'open',
        well_ids: ['W1'],
      },
      dedupe_key: 'k',
    });
    expect(d).toMatchObject({
      deadline_id: 'DL-1',
      title: 'Renew Rule 32 exception 1',
      due_date: '2026-06-16',
      days_until_due: -4,
      bucket: 'overdue',
      domain: 'rule_32',
      well_ids: ['W1'],
    });
  });
});
