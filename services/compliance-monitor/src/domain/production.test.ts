import type { AuthorizationInfo, ProductionRecord, WellInfo } from './portfolio';
import { authorizationsCovering, periodWindow, recordAlerts } from './production';

const well = (over: Partial<WellInfo> = {}): WellInfo => ({
  id: '42317301230000',
  name: 'Test 1H',
  status: 'active',
  wellType: 'oil',
  properties: {},
  field: { id: 'F1', properties: { oil_allowable_bbl_per_day: 100 } },
  production: [],
  ...over,
});
const auth = (over: Partial<AuthorizationInfo> = {}): AuthorizationInfo => ({
  id: 'R32-1',
  status: 'approved',
  effectiveDate: '2026-01-15',
  expiryDate: '2026-07-13',
  maxMcfPerDay: 100,
  wellIds: ['42317301230000'],
  ...over,
});
const codes = (w: WellInfo, r: ProductionRecord, auths: AuthorizationInfo[] = []) =>
  recordAlerts(w, r, auths).map((a) => a.code);

describe('allowable exceedance (16 TAC §3.52: daily allowable × days in the month)', () => {
  it('allows exactly 100 bbl/d × 30 days = 3,000 bbl in June and flags 3,000.5', () => {
    expect(codes(well(), { period: '2026-06', oil_bbl: 3000, gas_mcf: 1000 })).toEqual([]);
    const [alert] = recordAlerts(well(), { period: '2026-06', oil_bbl: 3000.5, gas_mcf: 1000 }, []);
    expect(alert).toMatchObject({
      level: 'critical',
      code: 'allowable_exceeded',
      rule: '16 TAC §3.52 (oil well allowable)',
      data: {
        allowable_bbl: 3000,
        days_in_month: 30,
        excess_bbl: 0.5,
        allowable_from: 'Field F1.oil_allowable_bbl_per_day',
      },
    });
  });

  it('takes the record’s own monthly allowable_bbl first', () => {
    expect(codes(well(), { period: '2026-06', oil_bbl: 3100, allowable_bbl: 3100 })).toEqual([]);
    expect(
      recordAlerts(well(), { period: '2026-06', oil_bbl: 3101, allowable_bbl: 3100 }, [])[0],
    ).toMatchObject({
      data: {
        allowable_bbl: 3100,
        allowable_bbl_per_day: null,
        allowable_from: 'production record 2026-06.allowable_bbl',
      },
    });
  });

  it('uses 28 days in February 2026 (2,800 bbl) and the well’s own allowable over its field’s', () => {
    expect(codes(well(), { period: '2026-02', oil_bbl: 2801, gas_mcf: 0 })).toContain('allowable_exceeded');
    const own = well({ properties: { oil_allowable_bbl_per_day: 200 } });
    expect(codes(own, { period: '2026-02', oil_bbl: 5600, gas_mcf: 0 })).toEqual([]);
  });
});

describe('gas-oil ratio: over 2 × the median of the previous months, and over a field rule’s limit', () => {
  // Previous months: 1,000 mcf / 1,000 bbl = 1,000 scf/bbl and 1,500 / 1,000 = 1,500: median 1,250,
  // so 2 × 1,250 = 2,500 scf/bbl is the most a month may show.
  const history: ProductionRecord[] = [
    { period: '2026-04', oil_bbl: 1000, gas_mcf: 1000 },
    { period: '2026-05', oil_bbl: 1000, gas_mcf: 1500 },
  ];
  const june = (gas: number): ProductionRecord => ({ period: '2026-06', oil_bbl: 1000, gas_mcf: gas });
  const withHistory = (over: Partial<WellInfo> = {}) => well({ production: [...history, june(0)], ...over });

  it('accepts 2,500 scf/bbl (exactly 2 × 1,250) and flags 2,501', () => {
    expect(codes(withHistory(), june(2500))).toEqual([]);
    const [alert] = recordAlerts(withHistory(), june(2501), []);
    expect(alert).toMatchObject({
      level: 'warning',
      code: 'gor_anomaly',
      rule: '16 TAC §3.49 (gas-oil ratio)',
      data: { gor_scf_per_bbl: 2501, baseline_scf_per_bbl: 1250, baseline_months: 2, factor: 2 },
    });
  });

  it('needs two earlier months, and skips gas wells', () => {
    expect(codes(well({ production: [history[1]] }), june(9000))).toEqual([]);
    expect(codes(withHistory({ wellType: 'gas' }), june(9000))).toEqual([]);
  });

  it('flags a month over a field rule’s limiting GOR (3,000 accepted, 3,001 flagged); the well’s own order wins', () => {
    const field = { id: 'F1', properties: { gor_limit_scf_per_bbl: 3000 } };
    expect(codes(well({ field }), june(3000))).toEqual([]);
    expect(recordAlerts(well({ field }), june(3001), [])[0]).toMatchObject({
      code: 'gor_limit_exceeded',
      data: { limit_scf_per_bbl: 3000, limit_from: 'Field F1.gor_limit_scf_per_bbl' },
    });
    expect(codes(well({ field, properties: { gor_limit_scf_per_bbl: 4000 } }), june(3500))).toEqual([]);
  });
});

describe('zero production on an active well', () => {
  it('flags an active well with no oil, gas or condensate, and not a shut-in one', () => {
    expect(codes(well(), { period: '2026-06', oil_bbl: 0, gas_mcf: 0 })).toEqual(['zero_production']);
    expect(codes(well({ status: 'shut_in' }), { period: '2026-06', oil_bbl: 0, gas_mcf: 0 })).toEqual([]);
  });
});

describe('unauthorised flaring (Rule 32: flaring needs an authorisation valid in the month)', () => {
  const r = (period: string): ProductionRecord => ({ period, oil_bbl: 100, gas_mcf: 100, flared_mcf: 50 });
  it('counts an authorisation valid on any day of the month (effective 01-15, expiry 07-13)', () => {
    expect(codes(well(), r('2026-01'), [auth()])).toEqual([]);
    expect(codes(well(), r('2026-07'), [auth()])).toEqual([]);
    expect(codes(well(), r('2025-12'), [auth()])).toEqual(['unauthorized_flaring']);
    expect(codes(well(), r('2026-08'), [auth()])).toEqual(['unauthorized_flaring']);
  });

  it('does not count a pending authorisation or another well’s, and counts venting too', () => {
    expect(codes(well(), r('2026-03'), [auth({ status: 'pending' })])).toEqual(['unauthorized_flaring']);
    expect(codes(well(), r('2026-03'), [auth({ wellIds: ['other'] })])).toEqual(['unauthorized_flaring']);
    const vented = { period: '2026-08', oil_bbl: 100, gas_mcf: 100, vented_mcf: 1 };
    expect(recordAlerts(well(), vented, [])[0]).toMatchObject({
      level: 'critical',
      rule: '16 TAC §3.32 (Rule 32)',
    });
  });

  it('finds the covering authorisations', () => {
    expect(authorizationsCovering([auth()], '42317301230000', '2026-07').map((a) => a.id)).toEqual(['R32-1']);
  });
});

describe('periodWindow', () => {
  it('is the `months` periods ending with the month of as_of, across a year boundary', () => {
    expect(periodWindow('2026-02-10', 3)).toEqual({ from: '2025-12', to: '2026-02' });
    expect(periodWindow('2026-06-30', 12)).toEqual({ from: '2025-07', to: '2026-06' });
  });
});
