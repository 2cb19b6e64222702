import { resourceId } from '@aegis/common';
import { z } from 'zod';
import { LABELS, MAX_BATCH_ITEMS, MAX_PROPERTIES_BYTES, REL_TYPE_PATTERN } from './labels';

/** Entity and edge items as clients send them (POST /entities, /edges, /entities/bulk and the import
 * batches): the one schema the knowledge graph validates with and its callers build with. */

const label = z.enum(LABELS, { message: `must be one of: ${LABELS.join(', ')}` });
/** Entity ids are path segments (`/entities/{label}/{entity_id}`): the platform's resource id rule. */
const entityId = resourceId();
const properties = z
  .record(z.string(), z.unknown())
  .refine((p) => JSON.stringify(p).length <= MAX_PROPERTIES_BYTES, {
    message: `must serialise to at most ${MAX_PROPERTIES_BYTES} bytes`,
  });

export const entityItemSchema = z.strictObject({
  label,
  /** Omitted: the graph derives it (a Well's normalised API number) or generates one. */
  entity_id: entityId.optional(),
  properties: properties.default({}),
});
/** An entity item as validated (properties defaulted). */
export type EntityItem = z.infer<typeof entityItemSchema>;
/** An entity item as sent. */
export type EntityItemInput = z.input<typeof entityItemSchema>;

export const edgeItemSchema = z.strictObject({
  from_label: label,
  from_id: entityId,
  rel_type: z.string().regex(REL_TYPE_PATTERN, { message: 'must be UPPER_SNAKE_CASE' }),
  to_label: label,
  to_id: entityId,
  properties: properties.default({}),
});
export type EdgeItem = z.infer<typeof edgeItemSchema>;
export type EdgeItemInput = z.input<typeof edgeItemSchema>;

/** One bulk request or import batch: at most MAX_BATCH_ITEMS items in all. */
export const graphItemsSchema = z
  .strictObject({
    entities: z.array(entityItemSchema).default([]),
    edges: z.array(edgeItemSchema).default([]),
  })
  .refine((b) => b.entities.length + b.edges.length <= MAX_BATCH_ITEMS, {
    message: `at most ${MAX_BATCH_ITEMS} items (entities + edges) per request`,
  });
/** A batch as sent. */
export interface GraphItems {
  entities: EntityItemInput[];
  edges: EdgeItemInput[];
}

/** What a commit or a bulk request did. */
export const commitCountsSchema = z.object({
  created: z.number().int().min(0),
  updated: z.number().int().min(0),
  edges_created: z.number().int().min(0),
  edges_updated: z.number().int().min(0),
});
export type CommitCounts = z.infer<typeof commitCountsSchema>;

/** A stored entity as the graph answers it. */
export const entityViewSchema = z.object({
  label: z.string(),
  entity_id: z.string(),
  properties: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type EntityView = z.infer<typeof entityViewSchema>;

/** A stored edge as the graph answers it. */
export const edgeViewSchema = z.looseObject({
  edge_id: z.string(),
  from_label: z.string(),
  from_id: z.string(),
  rel_type: z.string(),
  to_label: z.string(),
  to_id: z.string(),
});
export type EdgeView = z.infer<typeof edgeViewSchema>;
