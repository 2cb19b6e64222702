import { productionRecordSchema } from '@aegis/graph-client';
import { addDays, daysBetween } from './dates';
import { buildDemoGraph } from './graph';
import { demoScenario } from './scenario';

const AS_OF = '2025-06-01';
const scenario = demoScenario(AS_OF);
const graph = buildDemoGraph(AS_OF);
const wellAt = (lease: number, i: number) => graph.wells.find((w) => w.lease === lease && w.i === i)!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Each authorisation's cumulative flared + vented volume over its authorised volume (max mcf/day ×
 * 180 days, Rule 32), from the generated flare events. */
function usage(): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of graph.authorizations) {
    const volume = sum(
      scenario.flareEvents.filter((e) => e.authorization_id === a.id).map((e) => e.volume_mcf),
    );
    out.set(a.id, volume / a.authorizedVolumeMcf);
  }
  return out;
}

describe('demoScenario', () => {
  it('is deterministic for one as-of date and takes a timestamp as its date', () => {
    expect(demoScenario(AS_OF)).toEqual(scenario);
    expect(demoScenario(`${AS_OF}T13:45:00Z`)).toEqual(scenario);
  });

  it('keeps ids when the as-of date moves, and moves the dates with it', () => {
    const later = demoScenario('2025-09-15');
    const keys = (s: typeof scenario) => s.entities.map((e) => `${e.label}/${e.entity_id}`);
    expect(keys(later)).toEqual(keys(scenario));
    expect(later.flareEvents.map((e) => e.source_reading_id)).toEqual(
      scenario.flareEvents.map((e) => e.source_reading_id),
    );
    expect(later.production.map((p) => p.records.at(-1)!.period)).toEqual(
      later.production.map(() => '2025-08'),
    );
  });

  it('has the KG entities of the demo data set', () => {
    expect({ entities: scenario.entities, edges: scenario.edges }).toEqual({
      entities: graph.entities,
      edges: graph.edges,
    });
  });

  describe('flare events', () => {
    it('are well-formed: known wells and authorisations, end ≥ start, before as-of, unique reading ids', () => {
      const wells = new Set(graph.wells.map((w) => w.id));
      const auths = new Map(graph.authorizations.map((a) => [a.id, a]));
      for (const e of scenario.flareEvents) {
        expect(wells.has(e.well_id)).toBe(true);
        expect(e.volume_mcf).toBeGreaterThanOrEqual(0);
        expect(['10', '11']).toContain(e.disposition);
        expect(Date.parse(e.end_time)).toBeGreaterThanOrEqual(Date.parse(e.start_time));
        expect(Date.parse(e.end_time)).toBeLessThan(Date.parse(`${AS_OF}T00:00:00Z`));
        if (e.authorization_id !== null) {
          const a = auths.get(e.authorization_id)!;
          expect(a.wells).toContain(e.well_id);
          // Within the authorisation's period.
          expect(e.start_time.slice(0, 10) > a.effective).toBe(true);
          expect(e.end_time.slice(0, 10) < a.expiry).toBe(true);
        }
      }
      const ids = scenario.flareEvents.map((e) => e.source_reading_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(scenario.flareEvents.some((e) => e.disposition === '11')).toBe(true);
    });

    it('put authorisations at ~50 %, 79.9 %, 85 % and 105 % of their authorised volume', () => {
      const u = usage();
      // 0.799 × 500 mcf/d × 180 d = 71,910 mcf: just under the 80 % WARNING of Rule 32 monitoring.
      expect(u.get('R32-0051145-1')).toBeCloseTo(0.799, 9);
      expect(u.get('R32-0051145-1')!).toBeLessThan(0.8);
      expect(u.get('R32-0041235-1')).toBeCloseTo(0.85, 9); // ≥ 80 %: WARNING
      expect(u.get('R32-0051002-L')).toBeCloseTo(1.05, 9); // ≥ 100 %: CRITICAL
      expect(u.get('R32-0041235-2')).toBeCloseTo(0.5, 9);
      const bands = [...u.values()];
      expect(bands.filter((x) => x >= 1)).toHaveLength(1);
      expect(bands.filter((x) => x >= 0.8 && x < 1)).toHaveLength(1);
      expect(bands.filter((x) => x < 0.8 && x > 0.79)).toHaveLength(1);
    });

    it('has a flaring authorisation past day 150 of its 180 days, and an expired one', () => {
      const days = graph.authorizations
        .filter((a) => a.status === 'approved')
        .map((a) => ({ a, used: daysBetween(a.effective, AS_OF), flaring: usage().get(a.id)! > 0 }));
      expect(days.some((d) => d.used >= 150 && d.used <= 180 && d.flaring)).toBe(true);
      expect(days.some((d) => d.a.expiry < AS_OF)).toBe(true);
    });

    it('has wells flaring with no authorisation at all', () => {
      const unauthorised = scenario.flareEvents.filter((e) => e.authorization_id === null);
      expect(unauthorised.length).toBeGreaterThan(0);
      for (const e of unauthorised)
        expect(graph.authorizations.some((a) => a.wells.includes(e.well_id))).toBe(false);
      expect(new Set(unauthorised.map((e) => e.well_id))).toEqual(
        new Set([wellAt(2, 3).id, wellAt(5, 2).id]),
      );
    });

    it('has a flaring well spudded after 2021-11-15 (NSPS OOOOb)', () => {
      const flaring = new Set(scenario.flareEvents.map((e) => e.well_id));
      const oooob = graph.wells.filter((w) => flaring.has(w.id) && w.spud !== null && w.spud > '2021-11-15');
      expect(oooob.length).toBeGreaterThan(0);
      expect(graph.edges).toContainEqual(
        expect.objectContaining({ from_id: oooob[0].id, to_id: 'REG-NSPS-OOOOB' }),
      );
    });
  });

  it('has compliance deadlines overdue, within 7, within 30 and beyond 30 days', () => {
    const due = scenario.entities
      .filter((e) => e.label === 'ComplianceDeadline')
      .map((e) => daysBetween(AS_OF, String(e.properties.due_date)));
    expect(due.some((d) => d < 0)).toBe(true);
    expect(due.some((d) => d >= 0 && d <= 7)).toBe(true);
    expect(due.some((d) => d > 7 && d <= 30)).toBe(true);
    expect(due.some((d) => d > 30)).toBe(true);
  });

  describe('production', () => {
    it('is the last 12 complete months of the producing wells, in the knowledge graph’s record shape', () => {
      expect(scenario.production.length).toBeGreaterThan(10);
      for (const p of scenario.production) {
        const well = graph.wells.find((w) => w.id === p.well_id)!;
        expect(['active', 'shut_in']).toContain(well.status);
        expect(p.records.length).toBeLessThanOrEqual(12);
        for (const r of p.records) {
          expect(productionRecordSchema.safeParse(r).success).toBe(true);
          expect(r.period >= '2024-06' && r.period <= '2025-05').toBe(true);
          expect(r.period > well.spud!.slice(0, 7)).toBe(true);
        }
      }
    });

    it('reports each month’s flared (code 10) and vented (code 11) gas from the flare events', () => {
      const well = wellAt(0, 0).id;
      const month = addDays(AS_OF, -20).slice(0, 7);
      const events = scenario.flareEvents.filter((e) => e.well_id === well && e.start_time.startsWith(month));
      const record = scenario.production
        .find((p) => p.well_id === well)!
        .records.find((r) => r.period === month)!;
      const flared = sum(events.filter((e) => e.disposition === '10').map((e) => e.volume_mcf));
      const vented = sum(events.filter((e) => e.disposition === '11').map((e) => e.volume_mcf));
      expect(flared).toBeGreaterThan(0);
      expect(record.flared_mcf).toBeCloseTo(flared, 1);
      expect(record.vented_mcf).toBeCloseTo(vented, 1);
      expect(record.gas_mcf!).toBeGreaterThanOrEqual(flared + vented);
    });

    it('has an allowable exceeded, a gas-oil ratio anomaly and an active well with zero production', () => {
      const last = (lease: number, i: number) =>
        scenario.production.find((p) => p.well_id === wellAt(lease, i).id)!.records.at(-1)!;
      const over = scenario.production.flatMap((p) =>
        p.records.filter((r) => r.allowable_bbl !== undefined && r.oil_bbl! > r.allowable_bbl),
      );
      expect(over).toEqual([last(2, 0)]);
      // 18,500 mcf / 150 bbl ≈ 123 mcf/bbl = 123,333 scf/bbl, against 1.2–2.5 mcf/bbl normally.
      const gor = (r: { gas_mcf?: number; oil_bbl?: number }) => r.gas_mcf! / r.oil_bbl!;
      const anomalies = scenario.production.filter(
        (p) => p.records.at(-1)!.oil_bbl && gor(p.records.at(-1)!) > 3 * gor(p.records[0]),
      );
      expect(anomalies.map((p) => p.well_id)).toEqual([wellAt(0, 2).id]);
      expect(gor(last(0, 2))).toBeGreaterThan(100);
      const zero = scenario.production.filter(
        (p) =>
          graph.wells.find((w) => w.id === p.well_id)!.status === 'active' &&
          p.records.at(-1)!.oil_bbl === 0 &&
          p.records.at(-1)!.gas_mcf === 0,
      );
      expect(zero.map((p) => p.well_id)).toEqual([wellAt(5, 0).id]);
      expect(wellAt(5, 0).status).toBe('active');
    });
  });
});
