import { validateR32, type R32Application } from './r32-validation';

const good: R32Application = {
  operator_number: '123456',
  lease_number: '51002',
  district: '08',
  well_ids: ['42-329-30000-00-00'],
  requested_volume_mcf_per_day: 250,
  start_date: '2026-03-01',
  end_date: '2026-08-28',
  reason: 'No gathering line capacity',
  gathering_plan: { description: 'Tie-in to the Permian header', connection_date: '2026-04-15' },
};

describe('validateR32 (Form R-32 pre-filing)', () => {
  it('finds nothing wrong with a complete application', () => {
    expect(validateR32(good, '2026-03-01')).toEqual([]);
  });

  it('reports every issue with its field path and severity', () => {
    const issues = validateR32(
      {
        operator_number: 'ABC',
        district: '12',
        well_ids: ['42-329-30000', '12-345-67890'],
        requested_volume_mcf_per_day: 0,
        start_date: '2026-03-01',
        end_date: '2026-09-01',
        renewal: true,
        emissions_estimate_requested: true,
      },
      '2026-03-01',
    );
    expect(issues.map((i) => [i.path, i.severity, i.code])).toEqual([
      ['operator_number', 'error', 'malformed'],
      ['lease_number', 'error', 'missing'],
      ['district', 'error', 'malformed'],
      ['well_ids[1]', 'error', 'malformed'],
      ['requested_volume_mcf_per_day', 'error', 'out_of_range'],
      ['end_date', 'error', 'duration_over_limit'],
      ['justification', 'error', 'missing'],
      ['reason', 'error', 'missing'],
      ['gathering_plan', 'warning', 'no_gathering_plan'],
      ['gas_analysis', 'error', 'missing'],
    ]);
    expect(issues.every((i) => i.rule === '16 TAC §3.32 (Rule 32)')).toBe(true);
  });

  it('allows 180 days, refuses 181 and an end before the start', () => {
    expect(validateR32({ ...good, end_date: '2026-08-28' }, '2026-03-01')).toEqual([]); // 180 days
    expect(validateR32({ ...good, end_date: '2026-08-29' }, '2026-03-01')[0]).toMatchObject({
      path: 'end_date',
      code: 'duration_over_limit',
    });
    expect(validateR32({ ...good, end_date: '2026-02-01' }, '2026-03-01')[0]).toMatchObject({
      path: 'end_date',
      code: 'end_before_start',
    });
  });

  it('flags a gathering connection more than 60 days after filing (60 is fine)', () => {
    const at = (d: string) => validateR32({ ...good, gathering_plan: { connection_date: d } }, '2026-03-01');
    expect(at('2026-04-30')).toEqual([]); // 60 days
    expect(at('2026-05-01')).toEqual([
      expect.objectContaining({
        path: 'gathering_plan.connection_date',
        severity: 'warning',
        code: 'connection_far',
      }),
    ]);
  });

  it('checks a gas analysis sums to 1', () => {
    const issues = validateR32({ ...good, gas_analysis: { methane: 0.5 } }, '2026-03-01');
    expect(issues).toEqual([expect.objectContaining({ path: 'gas_analysis', code: 'composition_sum' })]);
  });
});
