import { burnRate, forecast } from './burn-rate';
import type { Authorization, FlareVolume } from './rule32';

const day = (date: string, volume: number, i: number): FlareVolume => ({
  event_id: `fe-${i}`,
  well_id: '42329000010000',
  start_time: `${date}T00:00:00.000Z`,
  end_time: `${date}T23:59:59.000Z`,
  volume_mcf: volume,
  disposition: '10',
});
// 100 mcf/day × 180 days (2026-01-01 → 2026-06-30) = 18,000 mcf authorised.
const auth: Authorization = {
  authorization_id: 'R32-1',
  status: 'approved',
  effective_date: '2026-01-01',
  expiry_date: '2026-06-30',
  max_volume_mcf_per_day: 100,
};

describe('burnRate', () => {
  it('averages the trailing 7 days ending with as_of, prorating an event that straddles the edge', () => {
    // Window: 2026-03-04T00:00Z to 2026-03-11T00:00Z (as_of 2026-03-10 included).
    const events = [
      day('2026-03-03', 1000, 1), // before the window
      day('2026-03-04', 70, 2),
      day('2026-03-10', 70, 3),
      {
        ...day('2026-03-03', 48, 4),
        start_time: '2026-03-03T00:00:00.000Z',
        end_time: '2026-03-05T00:00:00.000Z', // half inside: 24 mcf
      },
    ];
    const r = burnRate(events, '2026-03-10');
    // (70 + 70 + 24) / 7 = 23.428571…
    expect(r.volume_mcf).toBe(164);
    expect(r.burn_rate_mcf_per_day).toBeCloseTo(23.429, 3);
    expect(r.window_start).toBe('2026-03-04T00:00:00.000Z');
  });
});

describe('forecast', () => {
  it('remaining volume ÷ burn rate gives the exhaustion date, before the expiry here', () => {
    // 60 days at 200 mcf = 12,000 mcf used; remaining 6,000; burn rate 200/day → 30 days.
    const events = Array.from({ length: 60 }, (_, i) =>
      day(new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), 200, i),
    );
    const f = forecast(auth, events, '2026-03-01');
    expect(f.remaining_volume_mcf).toBe(6000);
    expect(f.burn_rate_mcf_per_day).toBe(200);
    expect(f.days_to_exhaustion).toBe(30);
    expect(f.exhaustion_date).toBe('2026-03-31');
    expect(f.binding_limit).toBe('volume');
    expect(f.exhausted_before_expiry).toBe(true);
    expect(f.duration_limit_date).toBe('2026-06-30');
  });

  it('at a low burn rate the expiry comes first; at zero there is no exhaustion date', () => {
    const slow = forecast(auth, [day('2026-02-27', 7, 1)], '2026-03-01');
    // 7 mcf in 7 days = 1 mcf/day; 17,993 mcf remaining would last until 2075.
    expect(slow.burn_rate_mcf_per_day).toBe(1);
    expect(slow.binding_limit).toBe('expiry');
    expect(slow.exhausted_before_expiry).toBe(false);
    const idle = forecast(auth, [], '2026-03-01');
    expect(idle.exhaustion_date).toBeNull();
    expect(idle.binding_date).toBe('2026-06-30');
  });
});
