import { isoDate, listEnvelopeSchema, resourceId } from '@aegis/common';
import { z } from 'zod';
import { FIELD_TYPES } from '../domain/entity-types';
import { entityItemSchema, edgeItemSchema } from '../domain/items';
import { LABELS, MAX_BATCH_ITEMS } from '../domain/labels';
import { batchSchema } from '../store/batch';

/** Path parameters and response shapes shared by the knowledge-graph routes (the request bodies are
 * the domain's own schemas). Schemas with an `id` become components of the OpenAPI document. */

export const labelParam = z.enum(LABELS, { message: 'must be an entity label' });
export const entityIdParam = resourceId().describe(
  'Natural key; a Well also answers to its API number in any accepted form',
);

export const entityPath = z.object({ label: labelParam, entity_id: entityIdParam });

/** A calendar date `YYYY-MM-DD` that exists (the platform's one date rule). */
export const calendarDate = isoDate();
export const wellPath = z.object({ entity_id: entityIdParam });

const properties = z.record(z.string(), z.unknown());
const timestamp = z.string().describe('ISO 8601 date-time');
/** What every stored entity and edge carries besides its key. */
const stored = { properties, created_at: timestamp, updated_at: timestamp };

export const entitySchema = z
  .object({
    label: z.enum(LABELS),
    entity_id: z.string(),
    ...stored,
  })
  .meta({ id: 'Entity' });

export const edgeSchema = z
  .object({
    edge_id: z.string(),
    from_label: z.enum(LABELS),
    from_id: z.string(),
    rel_type: z.string(),
    to_label: z.enum(LABELS),
    to_id: z.string(),
    ...stored,
  })
  .meta({ id: 'Edge' });

export const countsSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    edges_created: z.number().int(),
    edges_updated: z.number().int(),
  })
  .meta({ id: 'Counts' });

export const entityListSchema = listEnvelopeSchema(entitySchema).meta({ id: 'EntityList' });
export const edgeListSchema = listEnvelopeSchema(edgeSchema).meta({ id: 'EdgeList' });

export const fieldDefinitionView = z
  .object({
    name: z.string(),
    type: z.enum(FIELD_TYPES),
    required: z.boolean(),
    description: z.string().optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
    pattern: z.string().optional(),
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
  })
  .meta({ id: 'FieldDefinition' });

export const entityTypeSchema = z
  .object({
    key: z.enum(LABELS),
    display_name: z.string(),
    description: z.string().nullable(),
    fields: z.array(fieldDefinitionView),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'EntityType' });

const nodeSchema = z.object({
  label: z.enum(LABELS),
  entity_id: z.string(),
  depth: z.number().int(),
  properties,
});
const rootSchema = z.object({ label: z.enum(LABELS), entity_id: z.string() });

export const subGraphSchema = z
  .object({
    root: rootSchema,
    direction: z.enum(['both', 'out', 'in']),
    depth: z.number().int(),
    nodes: z.array(nodeSchema),
    edges: z.array(edgeSchema),
    truncated: z.boolean(),
  })
  .meta({ id: 'SubGraph' });

const reachSchema = z.object({
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
  truncated: z.boolean(),
});

export const impactSchema = z
  .object({ root: rootSchema, depth: z.number().int(), outward: reachSchema, inward: reachSchema })
  .meta({ id: 'Impact' });

export const treeNodeSchema = z
  .object({
    label: z.enum(LABELS),
    entity_id: z.string(),
    name: z.string().nullable(),
    status: z.string().nullable(),
    depth: z.number().int(),
    get children(): z.ZodArray<typeof treeNodeSchema> {
      return z.array(treeNodeSchema);
    },
    rollup: z.object({ wells: z.number().int(), by_status: z.record(z.string(), z.number().int()) }),
  })
  .meta({ id: 'ImpactTreeNode' });

/** Request bodies with a name in the document. */
export const entityInput = entityItemSchema.meta({ id: 'EntityInput' });
export const edgeInput = edgeItemSchema.meta({ id: 'EdgeInput' });
export const batchInput = batchSchema.meta({
  id: 'Batch',
  description: `entities are EntityInput items and edges EdgeInput items, at most ${MAX_BATCH_ITEMS} in all; each invalid item is reported at ["body","entities",i,…] and nothing is written`,
});
