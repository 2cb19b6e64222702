import { ValidationError } from '@aegis/common';
import fc from 'fast-check';
import { BUNDLED_RULES, FORM_PR, RULE_32, RULE_37 } from './bundled';
import { formPrDueDate, parseParameters, PARAMETER_SCHEMAS, RULE_KINDS } from './kinds';

function issuesOf(fn: () => unknown): { loc: (string | number)[]; msg: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError && Array.isArray(err.detail)) return err.detail;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('rule parameter schemas', () => {
  it('has a schema for every kind', () => {
    expect(Object.keys(PARAMETER_SCHEMAS).sort()).toEqual([...RULE_KINDS].sort());
  });

  it.each(BUNDLED_RULES.map((r) => [r.rule_key, r] as const))(
    'accepts the bundled %s parameters',
    (_key, rule) => {
      expect(parseParameters(rule.kind, rule.parameters)).toEqual(rule.parameters);
    },
  );

  it('bundles the statewide figures of the rules', () => {
    expect(RULE_32.parameters).toEqual({
      max_exception_days: 180,
      volume_warning_pct: 80,
      volume_critical_pct: 100,
      days_used_warning: 150,
      gathering_line_connection_max_days: 60,
    });
    expect(RULE_37.parameters).toMatchObject({
      lease_line_min_ft: 467,
      between_well_min_ft: 1_200,
      default_proration_unit_acres: 40,
    });
  });

  it.each([
    [
      'rule_37',
      { ...RULE_37.parameters, lease_line_min_ft: -1 },
      ['body', 'parameters', 'lease_line_min_ft'],
    ],
    [
      'rule_37',
      { ...RULE_37.parameters, lease_line_min_ft: '467' },
      ['body', 'parameters', 'lease_line_min_ft'],
    ],
    ['rule_37', { ...RULE_37.parameters, extra: 1 }, ['body', 'parameters']],
    ['rule_37', { lease_line_min_ft: 467 }, ['body', 'parameters', 'between_well_min_ft']],
    [
      'rule_37',
      {
        ...RULE_37.parameters,
        field_rules: [
          { field_number: '85280300', lease_line_min_ft: 330, between_well_min_ft: 1_320 },
          { field_number: '85280300', lease_line_min_ft: 467, between_well_min_ft: 1_200 },
        ],
      },
      ['body', 'parameters', 'field_rules'],
    ],
    [
      'rule_32',
      { ...RULE_32.parameters, volume_warning_pct: 100 },
      ['body', 'parameters', 'volume_warning_pct'],
    ],
    [
      'rule_32',
      { ...RULE_32.parameters, days_used_warning: 180 },
      ['body', 'parameters', 'days_used_warning'],
    ],
    [
      'rule_32',
      { ...RULE_32.parameters, max_exception_days: 1.5 },
      ['body', 'parameters', 'max_exception_days'],
    ],
    ['form_pr', { ...FORM_PR.parameters, due_day_of_month: 32 }, ['body', 'parameters', 'due_day_of_month']],
    ['form_pr', { ...FORM_PR.parameters, frequency: 'weekly' }, ['body', 'parameters', 'frequency']],
    ['nsps_oooob', { spud_after: '2021-13-15', alert_level: 'info' }, ['body', 'parameters', 'spud_after']],
    ['generic', [], ['body', 'parameters']],
  ] as const)('refuses bad %s parameters %j naming %j', (kind, value, loc) => {
    const issues = issuesOf(() => parseParameters(kind, value));
    expect(issues.map((i) => i.loc)).toContainEqual(loc);
  });

  it('accepts any Rule 32 thresholds whose warnings stay below their limits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3_650 }),
        fc.integer({ min: 2, max: 1_000 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true, minExcluded: true }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true, minExcluded: true }),
        fc.integer({ min: 1, max: 3_650 }),
        (maxDays, critical, daysShare, volumeShare, connection) => {
          const value = {
            max_exception_days: maxDays,
            volume_warning_pct: critical * volumeShare,
            volume_critical_pct: critical,
            days_used_warning: Math.max(1, Math.floor((maxDays - 1) * daysShare)),
            gathering_line_connection_max_days: connection,
          };
          expect(parseParameters('rule_32', value)).toEqual(value);
        },
      ),
    );
  });

  it('refuses Rule 32 thresholds whose warning is at or above the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 0, max: 999 }), (critical, over) => {
        const warning = Math.min(1_000, critical + over);
        const issues = issuesOf(() =>
          parseParameters('rule_32', {
            ...RULE_32.parameters,
            volume_warning_pct: warning,
            volume_critical_pct: critical,
          }),
        );
        expect(issues.map((i) => i.loc)).toContainEqual(['body', 'parameters', 'volume_warning_pct']);
      }),
    );
  });

  it('accepts any positive spacing distances up to ten miles and refuses the rest', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (ft) => {
        const ok = PARAMETER_SCHEMAS.rule_37.safeParse({
          ...RULE_37.parameters,
          lease_line_min_ft: ft,
        }).success;
        expect(ok).toBe(ft > 0 && ft <= 52_800);
      }),
    );
  });
});

describe('formPrDueDate', () => {
  it.each([
    ['2026-01', '2026-03-15'],
    ['2026-11', '2027-01-15'],
    ['2026-12', '2027-02-15'],
  ])('under the bundled rule, %s production is due %s', (month, due) => {
    expect(formPrDueDate(month, FORM_PR.parameters)).toBe(due);
  });

  it('clamps the day to the last day of a short month', () => {
    const params = { ...FORM_PR.parameters, due_months_after_production: 1, due_day_of_month: 31 };
    expect(formPrDueDate('2026-01', params)).toBe('2026-02-28');
    expect(formPrDueDate('2028-01', params)).toBe('2028-02-29');
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => formPrDueDate('2026-13', FORM_PR.parameters)).toThrow(/YYYY-MM/);
  });

  it('is always in the month the rule names, never before the production month ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, after, day) => {
          const production = `${year}-${String(month).padStart(2, '0')}`;
          const due = formPrDueDate(production, {
            frequency: 'monthly',
            due_months_after_production: after,
            due_day_of_month: day,
          });
          const [y, m, d] = due.split('-').map(Number);
          expect(y * 12 + m - (year * 12 + month)).toBe(after);
          expect(d).toBeLessThanOrEqual(day);
        },
      ),
    );
  });
});
