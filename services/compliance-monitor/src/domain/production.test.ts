import type { AuthorizationInfo, ProductionRecord, WellInfo } from './portfolio';
import { authorizationsCovering, periodWindow, recordAlerts } from './production';

const well = (over: Partial<WellInfo> = {}): WellInfo => ({
  id: '42317301230000',
  name: 'Test 1H',
  status: 'active',
  wellType: 'oil',
  properties: {},
  leaseIds: [],
  fieldIds: ['F1'],
  operatorIds: [],
  regulationIds: [],
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

  it('uses 28 days in February 2026 (2,800 bbl) and the well’s own allowable over its field’s', () => {
    expect(codes(well(), { period: '2026-02', oil_bbl: 2801, gas_mcf: 0 })).toContain('allowable_exceeded');
    const own = well({ properties: { oil_allowable_bbl_per_day: 200 } });
    expect(codes(own, { period: '2026-02', oil_bbl: 5600, gas_mcf: 0 })).toEqual([]);
  });
});

describe('gas-oil ratio (16 TAC §3.49(a): 2,000 scf/bbl statewide unless the field rules say otherwise)', () => {
  it('accepts 2,000 mcf over 1,000 bbl (2,000 scf/bbl) and flags 2,001 mcf (2,001 scf/bbl)', () => {
    expect(codes(well(), { period: '2026-06', oil_bbl: 1000, gas_mcf: 2000 })).toEqual([]);
    const [alert] = recordAlerts(well(), { period: '2026-06', oil_bbl: 1000, gas_mcf: 2001 }, []);
    expect(alert).toMatchObject({
      level: 'warning',
      code: 'gor_anomaly',
      data: {
        gor_scf_per_bbl: 2001,
        limit_scf_per_bbl: 2000,
        limit_from: 'statewide limit, 16 TAC §3.49(a)',
      },
    });
  });

  it('takes a field rule limit and ignores gas wells', () => {
    const f = well({ field: { id: 'F1', properties: { gor_limit_scf_per_bbl: 3000 } } });
    expect(codes(f, { period: '2026-06', oil_bbl: 1000, gas_mcf: 2500 })).toEqual([]);
    expect(codes(well({ wellType: 'gas' }), { period: '2026-06', oil_bbl: 10, gas_mcf: 9000 })).toEqual([]);
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
