import { isLabel, LABELS } from '@aegis/graph-client';
import { z } from 'zod';
import { asOf, defineTool, kg, queryString, wellId } from './define';
import type { ToolContext } from './types';

/** An entity as the knowledge graph answers it. */
export interface Entity {
  label: string;
  entity_id: string;
  properties: Record<string, unknown>;
}

/** The parts of `GET /context/assemble/{well_api}` the tools and templates read. */
export interface WellContext {
  well: Entity;
  lease: Entity | null;
  field: Entity | null;
  operator: Entity | null;
  permits: Entity[];
  authorizations: (Entity & { valid_today: boolean; days_remaining: number | null })[];
  recent_flaring: { since: string; days: number; event_count: number; total_volume_mcf: number };
  offset_wells: { radius_ft: number; wells: (Entity & { distance_ft: number })[] };
  regulations: Entity[];
  deadlines: (Entity & { days_until_due: number | null; level: string | null })[];
  as_of: string;
}

/** The graph's context document of one well (everything an agent needs about it). */
export function assembleContext(
  ctx: ToolContext,
  well: string,
  options: { as_of?: string; flaring_days?: number; offset_radius_ft?: number } = {},
): Promise<WellContext> {
  return kg<WellContext>(ctx, 'GET', `/context/assemble/${encodeURIComponent(well)}${queryString(options)}`);
}

export const contextAssembleTool = defineTool({
  name: 'context_assemble',
  description:
    'Everything the knowledge graph knows about one well: lease, field, operator, permits, flaring authorisations, recent flaring, offset wells, governing regulations and open deadlines.',
  input: z.strictObject({
    well_id: wellId,
    as_of: asOf,
    flaring_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe('Days of recent flaring (default 90).'),
    offset_radius_ft: z
      .number()
      .positive()
      .max(528_000)
      .optional()
      .describe('Radius of the offset wells, in feet (default 5,280).'),
  }),
  run: ({ well_id, ...options }, ctx) => assembleContext(ctx, well_id, options),
});

export const graphQueryTool = defineTool({
  name: 'graph_query',
  description:
    'Runs a whitelisted knowledge-graph query template: wells_by_operator {operator_id}, offset_wells {well_id, radius_ft}, authorizations_expiring {days}, flaring_without_authorization {from?, to?}, permits_of_well {well_id}, deadlines_due_within {days}, wells_in_field {field_id}, wells_spudded_after {date}, flaring_volume_by_well {from, to}, connected_by_path {label, entity_id, path}.',
  input: z.strictObject({
    template_id: z.string().min(1).max(100).describe('The template (see the description).'),
    params: z.record(z.string(), z.unknown()).default({}).describe('The template parameters.'),
  }),
  run: (args, ctx) =>
    kg<{ template_id: string; count: number; data: unknown[] }>(ctx, 'POST', '/query', {
      template_id: args.template_id,
      params: args.params,
    }),
});

export const getEntityTool = defineTool({
  name: 'get_entity',
  description: `One entity of the knowledge graph by label and id (labels: ${LABELS.join(', ')}).`,
  input: z.strictObject({
    label: z.string().refine(isLabel, { message: `must be one of: ${LABELS.join(', ')}` }),
    entity_id: z.string().min(1).max(200),
  }),
  run: (args, ctx) => kg<Entity>(ctx, 'GET', `/entities/${args.label}/${encodeURIComponent(args.entity_id)}`),
});
