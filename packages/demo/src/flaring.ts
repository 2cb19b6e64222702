import { seededRandom } from '@aegis/common';
import { addDays, daysBetween } from './dates';
import type { DemoAuthorization, DemoGraph, DemoWell } from './graph';

/** A flare event as the flaring monitor's `POST /flare-events` takes it. Re-posting the demo is
 * idempotent: each event carries a stable `source_reading_id`. */
export interface DemoFlareEvent {
  well_id: string;
  authorization_id: string | null;
  start_time: string;
  end_time: string;
  volume_mcf: number;
  /** Rule 32 disposition codes (16 TAC §3.32): 10 flared, 11 vented. */
  disposition: '10' | '11';
  cause: string;
  source_reading_id: string;
}

/**
 * The share of its authorised volume (max mcf/day × 180 days) each authorisation's events add up to
 * by the as-of date, around the Rule 32 thresholds the flaring monitor alerts on (80 % WARNING, 100 %
 * CRITICAL). The pending authorisation and the expired one (its well is shut in) have no events.
 */
export const VOLUME_SHARES: Readonly<Record<string, number>> = {
  'R32-0041235-1': 0.85, // day 170 of 180 as well: volume WARNING and days WARNING
  'R32-0051145-1': 0.799, // day 155: just under the 80 % WARNING
  'R32-0051002-L': 1.05, // lease-wide, over its volume: CRITICAL
  'R32-0041235-2': 0.5,
  'R32-0041987-1': 0.25,
  'R32-0030117-1': 0.1,
};

/** Wells flaring with no authorisation at all (any flaring without one is CRITICAL under Rule 32). */
export const UNAUTHORIZED_FLARING: readonly (readonly [lease: number, i: number])[] = [
  [2, 3],
  [5, 2],
];

const CAUSES = ['gathering line capacity', 'compressor downtime', 'midstream outage', 'well unloading'];
const EVENT_EVERY_DAYS = 3;

const round1 = (n: number) => Math.round(n * 10) / 10;

function event(
  wellId: string,
  authorizationId: string | null,
  date: string,
  k: number,
  tenths: number,
  rand: () => number,
  readingId: string,
): DemoFlareEvent {
  const startHour = 6 + (k % 12);
  const start = Date.parse(`${date}T${String(startHour).padStart(2, '0')}:00:00Z`);
  const hours = 2 + Math.floor(rand() * 20);
  return {
    well_id: wellId,
    authorization_id: authorizationId,
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + hours * 3_600_000).toISOString(),
    volume_mcf: tenths / 10,
    disposition: k % 9 === 4 ? '11' : '10',
    cause: CAUSES[k % CAUSES.length],
    source_reading_id: readingId,
  };
}

/** Splits `totalTenths` tenths of an mcf over `n` events with random weights; the parts add up exactly. */
function split(totalTenths: number, n: number, rand: () => number): number[] {
  const weights = Array.from({ length: n }, () => 0.5 + rand());
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((totalTenths * w) / sum));
  parts[n - 1] += totalTenths - parts.reduce((a, b) => a + b, 0);
  return parts;
}

function authorizationEvents(
  a: DemoAuthorization,
  share: number,
  wells: readonly DemoWell[],
  asOf: string,
  rand: () => number,
): DemoFlareEvent[] {
  // Flaring wells: the authorised ones producing or being completed (a lease-wide authorisation
  // covers every well of its lease); a shut-in well does not flare.
  const flaring = a.wells.filter((id) =>
    wells.some((w) => w.id === id && (w.status === 'active' || w.status === 'drilling')),
  );
  if (flaring.length === 0) return [];
  const first = addDays(a.effective, 1);
  // Every event ends before the as-of date, and before the expiry.
  const last = [addDays(asOf, -2), addDays(a.expiry, -2)].sort()[0];
  const n = Math.floor(daysBetween(first, last) / EVENT_EVERY_DAYS) + 1;
  if (n <= 0) return [];
  const parts = split(Math.round(share * a.authorizedVolumeMcf * 10), n, rand);
  return parts.map((tenths, k) =>
    event(
      flaring[k % flaring.length],
      a.id,
      addDays(first, k * EVENT_EVERY_DAYS),
      k,
      tenths,
      rand,
      `demo-${a.id}-${k + 1}`,
    ),
  );
}

/** The flaring monitor's flare events of the demo, relative to `asOf` (YYYY-MM-DD). Pure. */
export function buildFlareEvents(graph: DemoGraph, asOf: string): DemoFlareEvent[] {
  const rand = seededRandom(20_240_316);
  const out: DemoFlareEvent[] = [];
  for (const a of graph.authorizations) {
    const share = VOLUME_SHARES[a.id];
    if (share !== undefined) out.push(...authorizationEvents(a, share, graph.wells, asOf, rand));
  }
  for (const [lease, i] of UNAUTHORIZED_FLARING) {
    const well = graph.wells.find((w) => w.lease === lease && w.i === i)!;
    for (let k = 0; k < 8; k += 1) {
      const tenths = Math.round(round1(40 + rand() * 260) * 10);
      out.push(
        event(well.id, null, addDays(asOf, -(2 + k * 4)), k, tenths, rand, `demo-${well.id}-${k + 1}`),
      );
    }
  }
  return out;
}
