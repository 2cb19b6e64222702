import { addDays, DAY_MS, dayMs, daysBetween } from './days';
import { authorisedVolume, durationLimitDate, type Authorization, type FlareVolume } from './rule32';

/** domain.md: burn rate = average daily flared volume over a trailing window, 7 days by default. */
export const DEFAULT_WINDOW_DAYS = 7;

/**
 * The volume of `events` inside [windowStart, windowEnd) divided by the window's days. An event that
 * straddles an edge counts in proportion to the share of its duration inside the window (an event with
 * no duration counts whole when its start is inside).
 */
export function burnRate(events: FlareVolume[], asOf: string, windowDays = DEFAULT_WINDOW_DAYS) {
  const end = dayMs(asOf) + DAY_MS; // the whole as-of day counts
  const start = end - windowDays * DAY_MS;
  let volume = 0;
  for (const e of events) {
    const s = Date.parse(e.start_time);
    const f = Date.parse(e.end_time);
    if (f <= s) {
      if (s >= start && s < end) volume += e.volume_mcf;
      continue;
    }
    const overlap = Math.max(0, Math.min(f, end) - Math.max(s, start));
    volume += (e.volume_mcf * overlap) / (f - s);
  }
  return {
    window_days: windowDays,
    window_start: new Date(start).toISOString(),
    window_end: new Date(end).toISOString(),
    volume_mcf: Math.round(volume * 1000) / 1000,
    burn_rate_mcf_per_day: Math.round((volume / windowDays) * 1000) / 1000,
  };
}

export interface Forecast {
  authorization_id: string;
  as_of: string;
  authorised_volume_mcf: number;
  cumulative_volume_mcf: number;
  remaining_volume_mcf: number;
  burn_rate_mcf_per_day: number;
  window_days: number;
  /** Days until the remaining volume is used at the burn rate; null at a zero burn rate. */
  days_to_exhaustion: number | null;
  exhaustion_date: string | null;
  expiry_date: string;
  /** effective_date + 180 days (16 TAC §3.32). */
  duration_limit_date: string;
  /** Which comes first: the volume running out, the expiry, or the 180-day limit. */
  binding_limit: 'volume' | 'expiry' | 'duration_180';
  binding_date: string;
  exhausted_before_expiry: boolean;
}

/**
 * When the authorised volume runs out at the current burn rate (domain.md: remaining volume ÷ burn
 * rate), compared with the expiry date and the 180-day limit. Volume already used up → as_of.
 */
export function forecast(
  a: Authorization,
  events: FlareVolume[],
  asOf: string,
  windowDays = DEFAULT_WINDOW_DAYS,
): Forecast {
  const authorised = authorisedVolume(a);
  const cumulative = events.reduce((s, e) => s + e.volume_mcf, 0);
  const remaining = Math.max(0, authorised - cumulative);
  const rate = burnRate(events, asOf, windowDays).burn_rate_mcf_per_day;
  let days: number | null = null;
  if (remaining === 0) days = 0;
  else if (rate > 0) days = remaining / rate;
  const exhaustion = days === null ? null : addDays(asOf, Math.floor(days));
  const limit = durationLimitDate(a);
  const candidates: [Forecast['binding_limit'], string][] = [
    ['expiry', a.expiry_date],
    ['duration_180', limit],
  ];
  if (exhaustion) candidates.unshift(['volume', exhaustion]);
  const [binding, bindingDate] = candidates.reduce((best, c) => (c[1] < best[1] ? c : best));
  return {
    authorization_id: a.authorization_id,
    as_of: asOf,
    authorised_volume_mcf: Math.round(authorised * 1000) / 1000,
    cumulative_volume_mcf: Math.round(cumulative * 1000) / 1000,
    remaining_volume_mcf: Math.round(remaining * 1000) / 1000,
    burn_rate_mcf_per_day: rate,
    window_days: windowDays,
    days_to_exhaustion: days === null ? null : Math.round(days * 100) / 100,
    exhaustion_date: exhaustion,
    expiry_date: a.expiry_date,
    duration_limit_date: limit,
    binding_limit: binding,
    binding_date: bindingDate,
    exhausted_before_expiry: exhaustion !== null && daysBetween(exhaustion, a.expiry_date) > 0,
  };
}
