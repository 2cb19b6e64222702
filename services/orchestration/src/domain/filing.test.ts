import { addDays, assembleR32, assembleW1, goodCauseNarrative, R32_MAX_DAYS } from './filing';
import { applicableMinimums } from './spacing';

const party = (name: string | null, number: string | null) => ({ id: null, name, number });

const w1Facts = {
  operator: party('Caprock Permian Operating LLC', '123456'),
  lease: party('UNIVERSITY 7-12', '41235'),
  field: party('SPRABERRY (TREND AREA)', '85279300'),
  well: { api_number: '42317300440000', name: 'UNIVERSITY 7-12 5H' },
  location: { latitude: 32.3721, longitude: -101.9329 },
  minimums: applicableMinimums(null),
  violations: [
    {
      kind: 'between_well' as const,
      well_id: '42317300330000',
      distance_ft: 908.8,
      minimum_ft: 1200,
      shortfall_ft: 291.2,
    },
    { kind: 'lease_line' as const, distance_ft: 330, minimum_ft: 467, shortfall_ft: 137 },
  ],
  offsetOperators: ['654321'],
};

describe('assembleW1 (16 TAC §3.37)', () => {
  it('states every violation and the notice in the good-cause narrative', () => {
    const text = goodCauseNarrative(w1Facts);
    expect(text).toContain('exception to 16 TAC §3.37 for UNIVERSITY 7-12 5H on the UNIVERSITY 7-12 lease');
    expect(text).toContain(
      '908.8 ft from well 42317300330000 on the same lease, 291.2 ft inside the 1,200 ft',
    );
    expect(text).toContain('330 ft from the nearest lease line, 137 ft inside the 467 ft minimum');
    expect(text).toContain('offset operators (P-5 654321)');
  });

  it('lists what is missing: the operator’s own good cause and the notice to offset operators', () => {
    const d = assembleW1(w1Facts);
    expect(d).toMatchObject({ form_type: 'W-1', rule: '16 TAC §3.37', purpose: 'Rule 37 exception' });
    expect(d.missing).toEqual(['Good-cause reason confirmed by the operator', 'Notice to offset operators']);
    const complete = assembleW1({ ...w1Facts, offsetOperators: [], goodCause: 'a fault block' });
    expect(complete.missing).toEqual([]);
    expect(complete.good_cause_narrative).toContain('Good cause: a fault block.');
    expect(assembleW1({ ...w1Facts, violations: [] }).purpose).toBe('Drilling permit (no exception needed)');
  });
});

describe('assembleR32 (16 TAC §3.32)', () => {
  const facts = {
    operator: party('Caprock', '123456'),
    lease: { ...party('UNIVERSITY 7-12', '41235'), district: '08' },
    wellIds: ['42317300000000'],
    requestedMcfPerDay: 250,
    startDate: '2026-07-01',
    durationDays: 400,
    renewal: true,
    reason: 'No gathering line capacity',
    justification: null,
    gatheringConnectionDate: '2026-07-30',
    current: {
      authorization_id: 'R32-0041235-1',
      expiry_date: '2026-06-30',
      volume_pct: 85,
      cumulative_volume_mcf: 38250,
      authorised_volume_mcf: 45000,
    },
    burnRateMcfPerDay: 108.7,
  };

  it('never asks for more than 180 days, and writes a renewal’s justification from the current figures', () => {
    const d = assembleR32(facts);
    expect(d.duration_days).toBe(R32_MAX_DAYS);
    expect(d.application).toMatchObject({
      start_date: '2026-07-01',
      end_date: addDays('2026-07-01', 180),
      renewal: true,
      operator_number: '123456',
      lease_number: '41235',
      district: '08',
      requested_volume_mcf_per_day: 250,
      gathering_plan: { connection_date: '2026-07-30' },
    });
    expect(d.application.justification).toContain('38250 of 45000 mcf used (85 %)');
    expect(d.missing).toEqual([]);
  });

  it('lists the missing parts of a thin application', () => {
    const d = assembleR32({
      ...facts,
      operator: party(null, null),
      requestedMcfPerDay: null,
      reason: null,
      gatheringConnectionDate: null,
      current: undefined,
      durationDays: 30,
    });
    expect(d.duration_days).toBe(30);
    expect(d.application.operator_number).toBeUndefined();
    expect(d.missing).toEqual([
      'Operator P-5 number',
      'Requested volume (mcf/day)',
      'Reason for flaring',
      'Renewal justification',
      'Gathering-line connection plan',
    ]);
  });

  it('adds days across months and leap years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-07-01', -1)).toBe('2026-06-30');
  });
});
