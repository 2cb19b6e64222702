import {
  assessAuthorization,
  authorisedDays,
  authorisedVolume,
  covers,
  oooobAlerts,
  oooobApplies,
  unauthorisedAlerts,
  type Authorization,
  type FlareVolume,
} from './rule32';

/** An authorisation of 100 mcf/day from 2026-01-01 to 2026-06-30: 180 days (31 + 28 + 31 + 30 + 31 +
 * 29), so 100 × 180 = 18,000 mcf authorised. 80 % = 14,400 mcf; 79.9 % = 14,382 mcf. */
const auth: Authorization = {
  authorization_id: 'R32-1',
  status: 'approved',
  effective_date: '2026-01-01',
  expiry_date: '2026-06-30',
  max_volume_mcf_per_day: 100,
};
const event = (volume: number, i = 1, well = '42329000010000'): FlareVolume => ({
  event_id: `fe-${i}`,
  well_id: well,
  start_time: '2026-01-10T00:00:00.000Z',
  end_time: '2026-01-10T12:00:00.000Z',
  volume_mcf: volume,
  disposition: '10',
});
const codes = (a: { alerts: { code: string; level: string }[] }) =>
  a.alerts.map((x) => `${x.code}:${x.level}`);

describe('Rule 32 assessment of one authorisation', () => {
  it('authorised total = max mcf/day × authorised days (at most 180)', () => {
    expect(authorisedDays(auth)).toBe(180);
    expect(authorisedVolume(auth)).toBe(18_000);
    expect(authorisedDays({ ...auth, expiry_date: '2026-12-31' })).toBe(180);
  });

  it('79.9 % of the volume is no alert; 80 % is a warning', () => {
    const below = assessAuthorization(auth, [event(14_382)], '2026-02-01');
    expect(below.volume_pct).toBe(79.9);
    expect(codes(below)).toEqual([]);
    expect(below.level).toBe('ok');
    const at = assessAuthorization(auth, [event(14_000, 1), event(400, 2)], '2026-02-01');
    expect(at.cumulative_volume_mcf).toBe(14_400);
    expect(at.volume_pct).toBe(80);
    expect(codes(at)).toEqual(['volume_80pct:warning']);
    expect(at.alerts[0]).toMatchObject({
      rule: '16 TAC §3.32 (Rule 32)',
      entity: { label: 'FlaringAuthorization', id: 'R32-1' },
      dedupe_key: 'volume_80pct:FlaringAuthorization:R32-1',
      data: { cumulative_volume_mcf: 14_400, authorised_volume_mcf: 18_000 },
    });
  });

  it('99.9 % is a warning; 100 % is critical (and replaces the warning)', () => {
    expect(codes(assessAuthorization(auth, [event(17_982)], '2026-02-01'))).toEqual(['volume_80pct:warning']);
    const full = assessAuthorization(auth, [event(18_000)], '2026-02-01');
    expect(codes(full)).toEqual(['volume_100pct:critical']);
    expect(full.remaining_volume_mcf).toBe(0);
    expect(full.level).toBe('critical');
  });

  it('day 149 is no alert; day 150 is a warning', () => {
    // 2026-01-01 + 149 days = 2026-05-30; + 150 = 2026-05-31.
    const d149 = assessAuthorization(auth, [], '2026-05-30');
    expect(d149.days_used).toBe(149);
    expect(codes(d149)).toEqual([]);
    const d150 = assessAuthorization(auth, [], '2026-05-31');
    expect(d150.days_used).toBe(150);
    expect(d150.days_remaining).toBe(30);
    expect(codes(d150)).toEqual(['days_150:warning']);
  });

  it('the expiry day is still valid; the day after is critical', () => {
    expect(codes(assessAuthorization(auth, [], '2026-06-30'))).toEqual(['days_150:warning']);
    const after = assessAuthorization(auth, [], '2026-07-01');
    expect(after.expired).toBe(true);
    expect(codes(after)).toEqual(['authorization_expired:critical']);
  });

  it('covers flaring that starts within the period of an approved authorisation only', () => {
    expect(covers(auth, '2026-01-01T00:00:00Z')).toBe(true);
    expect(covers(auth, '2026-06-30T23:59:59Z')).toBe(true);
    expect(covers(auth, '2026-07-01T00:00:00Z')).toBe(false);
    expect(covers(auth, '2025-12-31T23:59:59Z')).toBe(false);
    expect(covers({ ...auth, status: 'pending' }, '2026-02-01T00:00:00Z')).toBe(false);
  });
});

describe('flaring without authorisation and NSPS OOOOb', () => {
  it('is critical, one alert per event, naming the well', () => {
    const alerts = unauthorisedAlerts([event(50, 7)]);
    expect(alerts).toEqual([
      expect.objectContaining({
        code: 'unauthorized_flaring',
        level: 'critical',
        entity: { label: 'Well', id: '42329000010000' },
        dedupe_key: 'unauthorized_flaring:Well:42329000010000:fe-7',
      }),
    ]);
  });

  it('applies to wells spudded after 2021-11-15, not on that day', () => {
    expect(oooobApplies('2021-11-15')).toBe(false);
    expect(oooobApplies('2021-11-16')).toBe(true);
    expect(oooobApplies(null)).toBe(false);
    const alerts = oooobAlerts('2022-03-01', [event(10, 1), event(10, 2)]);
    expect(alerts.map((a) => [a.level, a.dedupe_key])).toEqual([
      ['info', 'oooob_applicable:Well:42329000010000:fe-1'],
      ['info', 'oooob_applicable:Well:42329000010000:fe-2'],
    ]);
  });
});
