import { resourceId, ValidationError } from '@aegis/common';
import { z } from 'zod';
import {
  checkSpacing,
  distanceFt,
  fieldRuleOf,
  type FieldRule,
  type LatLon,
  type SpacingResult,
} from '../domain/spacing';
import type { Rule37Parameters } from '../rules/kinds';
import { defineTool, kg, wellId } from './define';
import { assembleContext, type Entity } from './graph';
import { activeRuleOf, type RuleVersionCited } from './rules';
import type { ToolContext } from './types';

/** Rule 37 spacing (16 TAC §3.37) of an existing or proposed well, over the knowledge graph's wells,
 * leases and field rules; the arithmetic is the pure `domain/spacing`. */

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const point = z.strictObject({ latitude, longitude });

export const spacingInput = z
  .strictObject({
    well_id: wellId.optional().describe('An existing or permitted well whose surface location is checked.'),
    latitude: latitude.optional().describe('A proposed location (with longitude and lease_id).'),
    longitude: longitude.optional(),
    lease_id: resourceId().optional().describe('The lease of a proposed location (e.g. LSE-08-41235).'),
    lease_boundary: z
      .array(point)
      .min(3)
      .max(1000)
      .optional()
      .describe('The surveyed lease boundary (a ring of points), when the graph has none.'),
    lease_line_distance_ft: z
      .number()
      .min(0)
      .optional()
      .describe('A surveyed distance to the nearest lease line, in feet, when no boundary is known.'),
    radius_ft: z
      .number()
      .positive()
      .max(52_800)
      .default(2640)
      .describe('How far to look for offset wells (default 2,640 ft).'),
  })
  .refine(
    (a) => a.well_id !== undefined || (a.latitude !== undefined && a.longitude !== undefined && a.lease_id),
    {
      message: 'give well_id, or latitude, longitude and lease_id of a proposed location',
      path: ['well_id'],
    },
  );

export interface SpacingReport extends SpacingResult {
  well: { well_id: string; name: string | null } | null;
  lease: { lease_id: string; name: string | null; lease_number: string | null } | null;
  field: { field_id: string; name: string | null; field_number: string | null } | null;
  operator: { operator_id: string; name: string | null; operator_number: string | null } | null;
  /** Operators of offset wells on other leases, who get notice of a W-1 exception application. */
  offset_operators: string[];
  /** The version of `rule_37` whose minimums were applied (the tenant's active one). */
  rule_version: RuleVersionCited;
}

/** The field rule that applies to `field`: the active rule's field rule for its field number wins,
 * then the field's own spacing properties in the knowledge graph (16 TAC §3.37: field rules override
 * the statewide minimums). */
function fieldRuleFor(field: Entity | null, params: Rule37Parameters): FieldRule | null {
  const number = text(field?.properties.field_number);
  const ruled = number === null ? undefined : params.field_rules.find((f) => f.field_number === number);
  if (ruled) return { between_well_ft: ruled.between_well_min_ft, lease_line_ft: ruled.lease_line_min_ft };
  return fieldRuleOf(field?.properties);
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function locationOf(e: Entity): LatLon | undefined {
  const lat = num(e.properties.latitude);
  const lon = num(e.properties.longitude);
  return lat === undefined || lon === undefined ? undefined : { latitude: lat, longitude: lon };
}

/** A lease's surveyed boundary (`boundary`: [{latitude, longitude}] or [[lat, lon]]), if recorded. */
function boundaryOf(lease: Entity | null): LatLon[] | undefined {
  const raw = lease?.properties.boundary;
  if (!Array.isArray(raw) || raw.length < 3) return undefined;
  const pts = raw.map((p: unknown) =>
    Array.isArray(p)
      ? { latitude: num(p[0]), longitude: num(p[1]) }
      : {
          latitude: num((p as Record<string, unknown>)?.latitude),
          longitude: num((p as Record<string, unknown>)?.longitude),
        },
  );
  return pts.every((p) => p.latitude !== undefined && p.longitude !== undefined)
    ? (pts as LatLon[])
    : undefined;
}

function offsetsOf(
  candidates: Entity[],
  leaseNumber: string | null,
  selfId: string | null,
  at: LatLon,
  radiusFt: number,
) {
  return candidates
    .filter((w) => w.entity_id !== selfId)
    .flatMap((w) => {
      const loc = locationOf(w);
      if (!loc) return [];
      const other = text(w.properties.lease_number);
      return [
        {
          ...loc,
          well_id: w.entity_id,
          name: text(w.properties.name),
          operator_number: text(w.properties.operator_number),
          same_lease: leaseNumber === null || other === null ? null : other === leaseNumber,
        },
      ];
    })
    .filter((o) => distanceFt(at, o) <= radiusFt);
}

async function pathOf(
  ctx: ToolContext,
  label: string,
  id: string,
  rel: string,
  direction: 'in' | 'out',
  target: string,
) {
  const r = await kg<{ data: Entity[] }>(ctx, 'POST', '/query', {
    template_id: 'connected_by_path',
    params: { label, entity_id: id, path: [{ rel_type: rel, direction }], target_label: target },
  });
  return r.data;
}

export async function spacingOf(
  args: z.output<typeof spacingInput>,
  ctx: ToolContext,
): Promise<SpacingReport> {
  let well: Entity | null = null;
  let lease: Entity | null;
  let field: Entity | null;
  let operator: Entity | null = null;
  let candidates: Entity[];
  let location: LatLon | undefined;
  if (args.well_id !== undefined) {
    const c = await assembleContext(ctx, args.well_id, { offset_radius_ft: args.radius_ft });
    ({ well, lease, field, operator } = c);
    candidates = c.offset_wells.wells;
    location =
      args.latitude !== undefined && args.longitude !== undefined
        ? { latitude: args.latitude, longitude: args.longitude }
        : locationOf(c.well);
    if (!location)
      throw ValidationError.single(
        ['well_id'],
        `well ${args.well_id} has no latitude/longitude in the knowledge graph`,
      );
  } else {
    location = { latitude: args.latitude!, longitude: args.longitude! };
    lease = await kg<Entity>(ctx, 'GET', `/entities/Lease/${encodeURIComponent(args.lease_id!)}`);
    field = (await pathOf(ctx, 'Lease', lease.entity_id, 'IN_FIELD', 'out', 'Field'))[0] ?? null;
    operator = (await pathOf(ctx, 'Lease', lease.entity_id, 'OPERATED_BY', 'out', 'Operator'))[0] ?? null;
    candidates = field
      ? (
          await kg<{ data: Entity[] }>(ctx, 'POST', '/query', {
            template_id: 'wells_in_field',
            params: { field_id: field.entity_id },
          })
        ).data
      : await pathOf(ctx, 'Lease', lease.entity_id, 'ON_LEASE', 'in', 'Well');
  }
  const leaseNumber = text(lease?.properties.lease_number) ?? text(well?.properties.lease_number);
  const offsets = offsetsOf(candidates, leaseNumber, well?.entity_id ?? null, location, args.radius_ft);
  const { parameters: rule37, cited } = await activeRuleOf(ctx, 'rule_37');
  const fieldNumber = text(field?.properties.field_number);
  const fieldAcres = rule37.field_rules.find((f) => f.field_number === fieldNumber)?.proration_unit_acres;
  const result = checkSpacing({
    location,
    field: fieldRuleFor(field, rule37),
    statewide: {
      lease_line_ft: rule37.lease_line_min_ft,
      between_well_ft: rule37.between_well_min_ft,
      proration_unit_acres: fieldAcres ?? rule37.default_proration_unit_acres,
    },
    leaseBoundary: args.lease_boundary ?? boundaryOf(lease),
    leaseLineDistanceFt: args.lease_line_distance_ft,
    offsets,
  });
  const ownOperator = text(operator?.properties.operator_number) ?? text(well?.properties.operator_number);
  return {
    ...result,
    well: well ? { well_id: well.entity_id, name: text(well.properties.name) } : null,
    lease: lease
      ? {
          lease_id: lease.entity_id,
          name: text(lease.properties.name),
          lease_number: text(lease.properties.lease_number),
        }
      : null,
    field: field
      ? {
          field_id: field.entity_id,
          name: text(field.properties.name),
          field_number: text(field.properties.field_number),
        }
      : null,
    operator: operator
      ? {
          operator_id: operator.entity_id,
          name: text(operator.properties.name),
          operator_number: ownOperator,
        }
      : null,
    offset_operators: [
      ...new Set(
        result.offset_wells
          .filter((o) => o.same_lease === false && o.operator_number && o.operator_number !== ownOperator)
          .map((o) => o.operator_number!),
      ),
    ].sort(),
    rule_version: cited,
  };
}

export const rule37SpacingTool = defineTool({
  name: 'rule37_spacing',
  description:
    'Rule 37 spacing (16 TAC §3.37) of a well or a proposed location: great-circle distances to offset wells and the distance to the lease line, against the tenant’s active Rule 37 version (statewide minimums, bundled as 467 ft from lease lines and 1,200 ft between wells on the same lease) or the field rules when the field has them, citing the version applied; lists violations (a Rule 37 exception, Form W-1, is then required).',
  input: spacingInput,
  run: spacingOf,
});
