import type { Portfolio, WellInfo } from './portfolio';
import { deadlinePoints, rankRisk } from './risk';

const base: WellInfo = {
  id: 'W1',
  name: 'Risky 1H',
  status: 'active',
  wellType: 'oil',
  properties: { oil_allowable_bbl_per_day: 100 },
  field: null,
  production: [],
};

describe('risk score', () => {
  it('gives deadline points by band: overdue 30, ≤ 7 days 25, ≤ 30 15, ≤ 90 5, later 0', () => {
    expect([-1, 7, 8, 30, 31, 90, 91, undefined].map(deadlinePoints)).toEqual([30, 25, 15, 15, 5, 5, 0, 0]);
  });

  it('sums its four factors, worked by hand, and ranks the riskier well first', () => {
    // W1, as of 2026-06-20, 3 months (2026-04..06):
    // - deadline due 2026-06-25: 5 days → 25 points;
    // - June (latest): GOR 2,500 mcf × 1,000 / 1,000 bbl = 2,500 scf/bbl, over 2 × the median of April
    //   (1,000 × 1,000 / 3,100 = 322.6) and May (500), 2 × 411.3 = 822.6 → 1 issue → 5 points;
    // - April: 3,100 bbl > 100 bbl/d × 30 d = 3,000 → a critical month → 5 points of history;
    // - June flared 1,500 mcf against 100 mcf/d × 30 d = 3,000 authorised → 25 × 0.5 = 12.5 points.
    // Score 25 + 5 + 5 + 12.5 = 47.5.
    const w1: WellInfo = {
      ...base,
      production: [
        { period: '2026-04', oil_bbl: 3100, gas_mcf: 1000 },
        { period: '2026-05', oil_bbl: 2000, gas_mcf: 1000 },
        { period: '2026-06', oil_bbl: 1000, gas_mcf: 2500, flared_mcf: 1500 },
      ],
    };
    const w2: WellInfo = { ...base, id: 'W2', production: [{ period: '2026-06', oil_bbl: 10, gas_mcf: 5 }] };
    const portfolio: Portfolio = {
      asOf: '2026-06-20',
      wells: [w2, w1],
      authorizations: [
        {
          id: 'A',
          status: 'approved',
          effectiveDate: '2026-01-01',
          expiryDate: '2026-06-29',
          maxMcfPerDay: 100,
          wellIds: ['W1'],
        },
      ],
      deadlines: [
        {
          label: 'ComplianceDeadline',
          id: 'D',
          kind: 'Form PR',
          title: 'PR',
          dueDate: '2026-06-25',
          status: 'open',
          wellIds: ['W1'],
        },
      ],
    };
    const [first, second] = rankRisk(portfolio, { from: '2026-04', to: '2026-06' });
    expect(first).toMatchObject({ well_id: 'W1', rank: 1, score: 47.5 });
    expect(Object.fromEntries(first.factors.map((f) => [f.factor, f.points]))).toEqual({
      deadline_proximity: 25,
      open_issues: 5,
      violation_history: 5,
      flaring_exposure: 12.5,
    });
    expect(first.factors.reduce((s, f) => s + f.points, 0)).toBe(first.score);
    expect(second).toMatchObject({ well_id: 'W2', rank: 2, score: 0 });
  });
});
