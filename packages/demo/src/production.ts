import { seededRandom } from '@aegis/common';
import type { ProductionRecord } from '@aegis/graph-client';
import { addMonths, daysInMonth } from './dates';
import type { DemoFlareEvent } from './flaring';
import type { DemoGraph, DemoWell } from './graph';

/** A well's monthly production as the knowledge graph's `PUT /entities/Well/{id}/production` takes it. */
export interface DemoProduction {
  well_id: string;
  records: ProductionRecord[];
}

/** Months of production per well: the complete months before the as-of date. */
export const PRODUCTION_MONTHS = 12;

/** Oil wells of the prorated Spraberry leases carry a daily oil allowable (Form PR's allowable). */
const ALLOWABLE_LEASES: readonly number[] = [0, 1, 2];
const DAILY_ALLOWABLE_BBL = 300;

/** Shut-in wells stopped producing this many months ago. */
const SHUT_IN_MONTHS = 4;

/**
 * The production anomalies of the demo, each in the last complete month, on an active oil well:
 * - allowable exceeded: oil 12 % over the month's allowable;
 * - gas-oil ratio anomaly: oil collapses to 150 bbl while gas doubles (≈ 120,000 scf/bbl, against
 *   ≈ 1,200–2,500 before, and above the 100,000 cf/bbl that makes a well a gas well in Texas);
 * - zero production: an active well reporting nothing for its last two months.
 */
export const PRODUCTION_ANOMALIES = {
  allowableExceeded: [2, 0],
  gorAnomaly: [0, 2],
  zeroProduction: [5, 0],
} as const satisfies Record<string, readonly [number, number]>;
const ZERO_MONTHS = 2;

const at = (w: DemoWell, [lease, i]: readonly [number, number]) => w.lease === lease && w.i === i;

/** Flared (code 10) and vented (code 11) mcf per well and month of the events' start. */
function dispositions(events: readonly DemoFlareEvent[]): Map<string, { flared: number; vented: number }> {
  const out = new Map<string, { flared: number; vented: number }>();
  for (const e of events) {
    const key = `${e.well_id}/${e.start_time.slice(0, 7)}`;
    const sum = out.get(key) ?? { flared: 0, vented: 0 };
    if (e.disposition === '10') sum.flared += e.volume_mcf;
    else sum.vented += e.volume_mcf;
    out.set(key, sum);
  }
  return out;
}

/** The most gas a well flared and vented in one month. */
function peakDisposed(disposed: Map<string, { flared: number; vented: number }>, wellId: string): number {
  let peak = 0;
  for (const [key, d] of disposed)
    if (key.startsWith(`${wellId}/`)) peak = Math.max(peak, d.flared + d.vented);
  return peak;
}

const round = (n: number) => Math.round(n);
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Monthly production of the producing wells (active and shut-in) for the last PRODUCTION_MONTHS
 * complete months before `asOf` (YYYY-MM-DD), from the month after spud: a gently declining oil or gas
 * stream, water, the month's flared and vented gas from the demo's flare events, and the allowable
 * where the well has one. Pure.
 */
export function buildProduction(
  graph: DemoGraph,
  flareEvents: readonly DemoFlareEvent[],
  asOf: string,
): DemoProduction[] {
  const rand = seededRandom(20_240_317);
  const disposed = dispositions(flareEvents);
  const current = asOf.slice(0, 7);
  const out: DemoProduction[] = [];
  for (const w of graph.wells) {
    if (w.spud === null || (w.status !== 'active' && w.status !== 'shut_in')) continue;
    const oilWell = w.wellType === 'oil';
    const initial = oilWell ? 2500 + rand() * 3500 : 30_000 + rand() * 30_000;
    const waterCut = 1.5 + rand() * 1.5;
    const decline = 0.02 + rand() * 0.02;
    // mcf per bbl: an oil well's normal range, or gassier where the well flares a lot (the gas it
    // flares is part of the gas it produces), steady either way.
    const lowestRate = initial * (1 - decline) ** (PRODUCTION_MONTHS - 1) * 0.95;
    const gor = Math.max(1.2 + rand() * 1.3, (1.25 * peakDisposed(disposed, w.id)) / lowestRate);
    const allowable = oilWell && ALLOWABLE_LEASES.includes(w.lease);
    const records: ProductionRecord[] = [];
    for (let m = PRODUCTION_MONTHS; m >= 1; m -= 1) {
      const period = addMonths(current, -m);
      if (period <= w.spud.slice(0, 7)) continue;
      const days = daysInMonth(period);
      const monthsLeft = m; // 1 = the last complete month
      const producing =
        !(w.status === 'shut_in' && monthsLeft <= SHUT_IN_MONTHS) &&
        !(at(w, PRODUCTION_ANOMALIES.zeroProduction) && monthsLeft <= ZERO_MONTHS);
      const rate = initial * (1 - decline) ** (PRODUCTION_MONTHS - m) * (0.95 + rand() * 0.1);
      let oil = producing ? (oilWell ? round(rate) : 0) : 0;
      let gas = producing ? round(oilWell ? rate * gor : rate) : 0;
      const record: ProductionRecord = { period, days_produced: producing ? days : 0 };
      if (allowable) record.allowable_bbl = DAILY_ALLOWABLE_BBL * days;
      if (monthsLeft === 1 && at(w, PRODUCTION_ANOMALIES.allowableExceeded))
        oil = round(DAILY_ALLOWABLE_BBL * days * 1.12);
      if (monthsLeft === 1 && at(w, PRODUCTION_ANOMALIES.gorAnomaly)) {
        oil = 150;
        gas = 18_500;
      }
      const d = disposed.get(`${w.id}/${period}`) ?? { flared: 0, vented: 0 };
      const flared = round1(d.flared);
      const vented = round1(d.vented);
      // Flared and vented gas is part of the gas produced.
      gas = Math.max(gas, Math.ceil(flared + vented));
      if (oilWell) record.oil_bbl = oil;
      else record.condensate_bbl = producing ? round(rate / 60) : 0;
      record.gas_mcf = gas;
      record.water_bbl = producing ? round((oilWell ? oil : rate / 20) * waterCut) : 0;
      record.flared_mcf = flared;
      record.vented_mcf = vented;
      records.push(record);
    }
    if (records.length > 0) out.push({ well_id: w.id, records });
  }
  return out;
}
