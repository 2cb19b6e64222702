import { haversineMetres, metresToFeet } from '@aegis/common';

/**
 * Rule 37 well spacing (16 TAC §3.37), pure: the applicable minimums (statewide, or a field rule that
 * overrides them), and a location's distances to its lease lines and to offset wells compared with
 * them. Distances between points are great-circle (haversine, the knowledge graph's formula, so the
 * figures match its `offset_wells`); distances to a lease line are projected (a local equirectangular
 * projection around the location, good to well under a foot over a few miles).
 */

export const RULE_37 = '16 TAC §3.37';
/** 16 TAC §3.37(a)(1): no well closer than 467 ft to any lease or property line (statewide). */
export const STATEWIDE_LEASE_LINE_FT = 467;
/** 16 TAC §3.37(a)(1): no well closer than 1,200 ft to another well on the same lease in the same
 * reservoir (statewide). */
export const STATEWIDE_BETWEEN_WELL_FT = 1200;
/** The default proration unit (16 TAC §3.37 / statewide density, 40 acres). */
export const DEFAULT_PRORATION_UNIT_ACRES = 40;

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** The spacing of a field's special field rules, when it has any (a Field entity's properties). */
export interface FieldRule {
  /** Between-well minimum of the field rules (the demo's `field_rule_spacing_ft`, e.g. 1,320 ft). */
  between_well_ft?: number;
  /** Lease-line minimum of the field rules (`field_rule_lease_line_ft`). */
  lease_line_ft?: number;
}

/** The statewide minimums in force: the active version of the tenant's `rule_37` (the rules library), by
 * default the bundled 16 TAC §3.37 figures above. */
export interface StatewideMinimums {
  lease_line_ft: number;
  between_well_ft: number;
  proration_unit_acres: number;
}

export const STATEWIDE_MINIMUMS: StatewideMinimums = {
  lease_line_ft: STATEWIDE_LEASE_LINE_FT,
  between_well_ft: STATEWIDE_BETWEEN_WELL_FT,
  proration_unit_acres: DEFAULT_PRORATION_UNIT_ACRES,
};

export interface Minimums {
  lease_line_ft: number;
  between_well_ft: number;
  source: 'statewide' | 'field_rule';
  citation: string;
  note: string;
}

/** The minimums that apply: a field rule, when present, wins over the statewide ones (16 TAC §3.37). */
export function applicableMinimums(
  field?: FieldRule | null,
  statewide: StatewideMinimums = STATEWIDE_MINIMUMS,
): Minimums {
  const betweenWell = positive(field?.between_well_ft);
  const leaseLine = positive(field?.lease_line_ft);
  if (betweenWell === undefined && leaseLine === undefined)
    return {
      lease_line_ft: statewide.lease_line_ft,
      between_well_ft: statewide.between_well_ft,
      source: 'statewide',
      citation: RULE_37,
      note: `Statewide minimums of ${RULE_37}: ${fmtFt(statewide.lease_line_ft)} ft from lease lines, ${fmtFt(statewide.between_well_ft)} ft between wells on the same lease and reservoir.`,
    };
  const result = {
    lease_line_ft: leaseLine ?? statewide.lease_line_ft,
    between_well_ft: betweenWell ?? statewide.between_well_ft,
  };
  return {
    ...result,
    source: 'field_rule',
    citation: `${RULE_37} (special field rules)`,
    note: `Field rules override the statewide minimums of ${RULE_37}: ${fmtFt(result.lease_line_ft)} ft from lease lines, ${fmtFt(result.between_well_ft)} ft between wells.`,
  };
}

/** A Field entity's properties → its field rule (none when it has no spacing properties). */
export function fieldRuleOf(properties: Record<string, unknown> | undefined | null): FieldRule | null {
  if (!properties) return null;
  const between = positive(properties.field_rule_spacing_ft ?? properties.field_rule_between_well_ft);
  const leaseLine = positive(properties.field_rule_lease_line_ft);
  return between === undefined && leaseLine === undefined
    ? null
    : { between_well_ft: between, lease_line_ft: leaseLine };
}

export interface OffsetWellInput extends LatLon {
  well_id: string;
  name?: string | null;
  /** Whether it is on the same lease (and so the between-well minimum applies); null: unknown,
   * checked conservatively as if it were. */
  same_lease: boolean | null;
  operator_number?: string | null;
}

export interface OffsetWellResult {
  well_id: string;
  name: string | null;
  operator_number: string | null;
  distance_ft: number;
  same_lease: boolean | null;
  /** The between-well minimum when it applies (same lease), null for a well on another lease (the
   * lease-line minimum protects it). */
  minimum_ft: number | null;
  status: 'ok' | 'violation' | 'not_applicable';
}

export interface LeaseLineResult {
  status: 'ok' | 'violation' | 'not_evaluated';
  minimum_ft: number;
  distance_ft: number | null;
  /** `boundary`: measured to the polygon; `given`: the caller's surveyed distance. */
  source: 'boundary' | 'given' | null;
  inside_lease: boolean | null;
  reason?: string;
}

export interface Violation {
  kind: 'lease_line' | 'between_well';
  well_id?: string;
  distance_ft: number;
  minimum_ft: number;
  shortfall_ft: number;
}

export interface SpacingResult {
  rule: string;
  location: LatLon;
  minimums: Minimums;
  lease_line: LeaseLineResult;
  offset_wells: OffsetWellResult[];
  nearest_offset_ft: number | null;
  violations: Violation[];
  /** True when nothing evaluated is closer than its minimum. */
  compliant: boolean;
  /** A violation needs a Rule 37 exception: Form W-1 with a good-cause narrative and notice to the
   * offset operators (16 TAC §3.37(a)(2)). */
  exception_required: boolean;
  proration_unit_acres: number;
}

export interface SpacingInput {
  location: LatLon;
  field?: FieldRule | null;
  /** The statewide minimums in force (default: the bundled 16 TAC §3.37 figures). */
  statewide?: StatewideMinimums;
  /** The lease boundary as a closed or open ring of points (surveyed). */
  leaseBoundary?: LatLon[];
  /** A surveyed distance to the nearest lease line, in feet, when no boundary is known. */
  leaseLineDistanceFt?: number;
  offsets: OffsetWellInput[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const fmtFt = (n: number) => n.toLocaleString('en-US');

/** Great-circle distance in feet, rounded to 0.1 ft (as the knowledge graph reports offsets). */
export function distanceFt(a: LatLon, b: LatLon): number {
  return round1(metresToFeet(haversineMetres(a.latitude, a.longitude, b.latitude, b.longitude)));
}

/** Distance in feet from `p` to the nearest edge of `ring`, and whether `p` is inside it. */
export function distanceToBoundaryFt(p: LatLon, ring: LatLon[]): { distance_ft: number; inside: boolean } {
  if (ring.length < 3) throw new RangeError('a lease boundary needs at least 3 points');
  const ftPerDegLat = metresToFeet(
    haversineMetres(p.latitude - 0.5, p.longitude, p.latitude + 0.5, p.longitude),
  );
  const ftPerDegLon = ftPerDegLat * Math.cos((p.latitude * Math.PI) / 180);
  const xy = ring.map((q) => ({
    x: (q.longitude - p.longitude) * ftPerDegLon,
    y: (q.latitude - p.latitude) * ftPerDegLat,
  }));
  let best = Infinity;
  let inside = false;
  for (let i = 0; i < xy.length; i += 1) {
    const a = xy[i];
    const b = xy[(i + 1) % xy.length];
    best = Math.min(best, segmentDistance(a, b));
    // Ray casting from the origin (the location) along +x.
    if (a.y > 0 !== b.y > 0 && a.x + ((0 - a.y) * (b.x - a.x)) / (b.y - a.y) > 0) inside = !inside;
  }
  return { distance_ft: round1(best), inside };
}

/** Distance from the origin to the segment a–b. */
function segmentDistance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(a.x * dx + a.y * dy) / len2));
  return Math.hypot(a.x + t * dx, a.y + t * dy);
}

function leaseLine(input: SpacingInput, minimum: number): LeaseLineResult {
  if (input.leaseBoundary && input.leaseBoundary.length >= 3) {
    const { distance_ft, inside } = distanceToBoundaryFt(input.location, input.leaseBoundary);
    return {
      status: inside && distance_ft >= minimum ? 'ok' : 'violation',
      minimum_ft: minimum,
      distance_ft,
      source: 'boundary',
      inside_lease: inside,
      ...(inside ? {} : { reason: 'the location lies outside the lease boundary' }),
    };
  }
  if (input.leaseLineDistanceFt !== undefined)
    return {
      status: input.leaseLineDistanceFt >= minimum ? 'ok' : 'violation',
      minimum_ft: minimum,
      distance_ft: round1(input.leaseLineDistanceFt),
      source: 'given',
      inside_lease: null,
    };
  return {
    status: 'not_evaluated',
    minimum_ft: minimum,
    distance_ft: null,
    source: null,
    inside_lease: null,
    reason:
      'no surveyed lease boundary is recorded for the lease; give lease_boundary or lease_line_distance_ft to check it',
  };
}

/** The Rule 37 spacing check of one location (16 TAC §3.37). Offset wells come nearest first. */
export function checkSpacing(input: SpacingInput): SpacingResult {
  const statewide = input.statewide ?? STATEWIDE_MINIMUMS;
  const minimums = applicableMinimums(input.field, statewide);
  const line = leaseLine(input, minimums.lease_line_ft);
  const offsets = input.offsets
    .map((o): OffsetWellResult => {
      const distance = distanceFt(input.location, o);
      const applies = o.same_lease !== false;
      return {
        well_id: o.well_id,
        name: o.name ?? null,
        operator_number: o.operator_number ?? null,
        distance_ft: distance,
        same_lease: o.same_lease,
        minimum_ft: applies ? minimums.between_well_ft : null,
        status: !applies ? 'not_applicable' : distance < minimums.between_well_ft ? 'violation' : 'ok',
      };
    })
    .sort((a, b) => a.distance_ft - b.distance_ft || (a.well_id < b.well_id ? -1 : 1));
  const violations: Violation[] = [];
  if (line.status === 'violation' && line.distance_ft !== null)
    violations.push({
      kind: 'lease_line',
      distance_ft: line.distance_ft,
      minimum_ft: line.minimum_ft,
      shortfall_ft: round1(Math.max(0, line.minimum_ft - line.distance_ft)),
    });
  for (const o of offsets)
    if (o.status === 'violation' && o.minimum_ft !== null)
      violations.push({
        kind: 'between_well',
        well_id: o.well_id,
        distance_ft: o.distance_ft,
        minimum_ft: o.minimum_ft,
        shortfall_ft: round1(o.minimum_ft - o.distance_ft),
      });
  return {
    rule: RULE_37,
    location: input.location,
    minimums,
    lease_line: line,
    offset_wells: offsets,
    nearest_offset_ft: offsets[0]?.distance_ft ?? null,
    violations,
    compliant: violations.length === 0,
    exception_required: violations.length > 0,
    proration_unit_acres: statewide.proration_unit_acres,
  };
}
