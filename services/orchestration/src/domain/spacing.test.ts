import fc from 'fast-check';
import {
  applicableMinimums,
  checkSpacing,
  distanceFt,
  distanceToBoundaryFt,
  fieldRuleOf,
  STATEWIDE_BETWEEN_WELL_FT,
  STATEWIDE_LEASE_LINE_FT,
} from './spacing';

/** A point `eastFt` east and `northFt` north of (32, -102). */
const FT_PER_DEG_LAT = 364_567.2; // ≈ 111.12 km
const at = (eastFt: number, northFt: number) => ({
  latitude: 32 + northFt / FT_PER_DEG_LAT,
  longitude: -102 + eastFt / (FT_PER_DEG_LAT * Math.cos((32 * Math.PI) / 180)),
});

describe('applicableMinimums (16 TAC §3.37)', () => {
  it('uses the statewide 467 ft / 1,200 ft without a field rule', () => {
    expect(applicableMinimums(null)).toMatchObject({
      lease_line_ft: STATEWIDE_LEASE_LINE_FT,
      between_well_ft: STATEWIDE_BETWEEN_WELL_FT,
      source: 'statewide',
      citation: '16 TAC §3.37',
    });
    expect(STATEWIDE_LEASE_LINE_FT).toBe(467);
    expect(STATEWIDE_BETWEEN_WELL_FT).toBe(1200);
  });

  it('lets a field rule win over the statewide minimums', () => {
    expect(applicableMinimums(fieldRuleOf({ field_rule_spacing_ft: 1320 }))).toMatchObject({
      lease_line_ft: 467,
      between_well_ft: 1320,
      source: 'field_rule',
    });
    expect(applicableMinimums({ lease_line_ft: 660, between_well_ft: 1320 })).toMatchObject({
      lease_line_ft: 660,
      between_well_ft: 1320,
    });
    expect(fieldRuleOf({ name: 'SPRABERRY' })).toBeNull();
  });
});

describe('checkSpacing', () => {
  it('flags an offset on the same lease closer than 1,200 ft, and not one on another lease', () => {
    const r = checkSpacing({
      location: at(0, 0),
      offsets: [
        { well_id: 'A', same_lease: true, ...at(1000, 0) },
        { well_id: 'B', same_lease: false, ...at(0, 500) },
        { well_id: 'C', same_lease: true, ...at(0, 1500) },
      ],
    });
    expect(r.offset_wells.map((o) => [o.well_id, o.status])).toEqual([
      ['B', 'not_applicable'],
      ['A', 'violation'],
      ['C', 'ok'],
    ]);
    expect(r.offset_wells[1].distance_ft).toBeCloseTo(1000, -1);
    expect(r.violations).toEqual([
      expect.objectContaining({ kind: 'between_well', well_id: 'A', minimum_ft: 1200 }),
    ]);
    expect(r.exception_required).toBe(true);
    expect(r.lease_line.status).toBe('not_evaluated');
  });

  it('measures the lease line to a boundary, and a location outside it is a violation', () => {
    const square = [at(-1000, -1000), at(1000, -1000), at(1000, 1000), at(-1000, 1000)];
    const inside = checkSpacing({ location: at(600, 0), leaseBoundary: square, offsets: [] });
    expect(inside.lease_line).toMatchObject({ status: 'violation', source: 'boundary', inside_lease: true });
    expect(inside.lease_line.distance_ft).toBeCloseTo(400, -1);
    const centre = checkSpacing({ location: at(0, 0), leaseBoundary: square, offsets: [] });
    expect(centre.lease_line.status).toBe('ok');
    expect(centre.compliant).toBe(true);
    const outside = checkSpacing({ location: at(1500, 0), leaseBoundary: square, offsets: [] });
    expect(outside.lease_line).toMatchObject({ status: 'violation', inside_lease: false });
  });

  it('takes a surveyed lease-line distance when no boundary is known', () => {
    const r = checkSpacing({ location: at(0, 0), leaseLineDistanceFt: 330, offsets: [] });
    expect(r.violations).toEqual([
      { kind: 'lease_line', distance_ft: 330, minimum_ft: 467, shortfall_ft: 137 },
    ]);
  });

  it('distances are symmetric and the boundary distance never exceeds the distance to a vertex', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 }), (e, n) => {
        const p = at(e, n);
        const q = at(0, 0);
        expect(distanceFt(p, q)).toBe(distanceFt(q, p));
        const ring = [at(-6000, -6000), at(6000, -6000), at(6000, 6000), at(-6000, 6000)];
        const b = distanceToBoundaryFt(p, ring);
        expect(b.inside).toBe(true);
        expect(b.distance_ft).toBeLessThanOrEqual(Math.min(...ring.map((v) => distanceFt(p, v))) + 0.1);
      }),
      { numRuns: 200 },
    );
  });
});
