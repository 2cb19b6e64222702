import { randomUUID } from 'node:crypto';
import { ValidationError, zodIssues, type ValidationIssue } from '@aegis/common';
import { z } from 'zod';
import {
  edgeItemSchema,
  entityItemSchema,
  prepareEdge,
  prepareEntity,
  type PreparedEntity,
} from '../domain/items';
import { MAX_BATCH_ITEMS } from '../domain/labels';
import type { LocatedEdge } from './apply';
import { typeIssues } from './entity-types';
import type { GraphDb } from './schema';

/** The body of POST /entities/bulk and POST /imports/{id}/items. */
export const batchSchema = z
  .strictObject({
    entities: z.array(z.unknown()).default([]),
    edges: z.array(z.unknown()).default([]),
  })
  .refine((b) => b.entities.length + b.edges.length <= MAX_BATCH_ITEMS, {
    message: `at most ${MAX_BATCH_ITEMS} items (entities + edges) per request`,
  });
export type BatchBody = z.infer<typeof batchSchema>;

export interface PreparedBatch {
  entities: { entity: PreparedEntity; loc: (string | number)[] }[];
  edges: LocatedEdge[];
}

/** Parses each raw item with `schema`, adding its issues located at `["body", list, i, ...]`, and hands
 * the valid ones to `accept`; stops looking once 100 issues are known. */
function parseItems<T>(
  items: readonly unknown[],
  list: 'entities' | 'edges',
  schema: z.ZodType<T>,
  issues: ValidationIssue[],
  accept: (item: T, loc: (string | number)[]) => void,
): void {
  items.forEach((raw, i) => {
    if (issues.length >= 100) return;
    const loc = ['body', list, i];
    const parsed = schema.safeParse(raw);
    if (parsed.success) accept(parsed.data, loc);
    else
      issues.push(
        ...zodIssues(parsed.error, 'body', raw).map((x) => ({ ...x, loc: [...loc, ...x.loc.slice(1)] })),
      );
  });
}

/** Parses and prepares every item; throws one 422 listing the issues (at most 100), each located at
 * `["body","entities",i,...]` or `["body","edges",i,...]`, when any item is invalid. */
export async function prepareBatch(db: GraphDb, tenant: string, body: BatchBody): Promise<PreparedBatch> {
  const issues: ValidationIssue[] = [];
  const entities: PreparedBatch['entities'] = [];
  const edges: LocatedEdge[] = [];
  parseItems(body.entities, 'entities', entityItemSchema, issues, (item, loc) => {
    const prepared = prepareEntity(item, loc);
    if (prepared.ok) entities.push({ entity: prepared.value, loc });
    else issues.push(...prepared.issues);
  });
  parseItems(body.edges, 'edges', edgeItemSchema, issues, (item, loc) =>
    edges.push({ edge: prepareEdge(item), loc }),
  );
  if (issues.length === 0) issues.push(...(await typeIssues(db, tenant, entities)));
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 100));
  return { entities, edges };
}

export const newEntityId = () => randomUUID();
