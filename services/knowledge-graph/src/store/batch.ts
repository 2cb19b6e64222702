import { randomUUID } from 'node:crypto';
import { isResourceId, ValidationError, zodIssues, type ValidationIssue } from '@aegis/common';
import { z } from 'zod';
import {
  edgeItemSchema,
  entityItemSchema,
  MAX_PROPERTIES_BYTES,
  prepareEdge,
  prepareEntity,
  type EdgeItem,
  type EntityItem,
  type PreparedEntity,
} from '../domain/items';
import { LABELS, MAX_BATCH_ITEMS, REL_TYPE_PATTERN, type Label } from '../domain/labels';
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

/** The common case of an item, checked by hand: an item these accept is one the zod schema accepts,
 * and they return what the schema's parse returns (properties defaulted to {}). Anything else, valid
 * or not, goes to the schema, so every issue keeps its zod message and location. Zod per item was
 * the largest share of a batch's validation (ADR 0026, second round). */
const LABEL_SET: ReadonlySet<string> = new Set(LABELS);
/** The keys a strict item schema allows: its shape's, not a second list. */
const ENTITY_KEYS: ReadonlySet<string> = new Set(Object.keys(entityItemSchema.shape));
const EDGE_KEYS: ReadonlySet<string> = new Set(Object.keys(edgeItemSchema.shape));

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  );
}

function onlyKeys(v: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k of Object.keys(v)) if (!allowed.has(k)) return false;
  return true;
}

const isLabelValue = (v: unknown): v is Label => typeof v === 'string' && LABEL_SET.has(v);
const isIdValue = (v: unknown): v is string => typeof v === 'string' && isResourceId(v);

/** Whether `JSON.stringify(v).length` is within MAX_PROPERTIES_BYTES, the schema's rule. Flat
 * properties (the common case) are bounded without serialising them: a key or string serialises to at
 * most 6 characters per UTF-16 unit (`\uXXXX`) plus its quotes, a number to at most 24 characters, a
 * boolean or null to at most 5, plus a colon and a comma per entry. Only when that bound exceeds the
 * limit, or a value nests, is `v` serialised to decide. */
function withinPropertiesLimit(v: Record<string, unknown>): boolean {
  let bound = 2;
  for (const key of Object.keys(v)) {
    const x = v[key];
    bound += 6 * key.length + 4;
    if (typeof x === 'string') bound += 6 * x.length + 2;
    else if (typeof x === 'number' || typeof x === 'boolean' || x === null) bound += 24;
    else return JSON.stringify(v).length <= MAX_PROPERTIES_BYTES;
  }
  return bound <= MAX_PROPERTIES_BYTES || JSON.stringify(v).length <= MAX_PROPERTIES_BYTES;
}

/** `properties` as the schema returns it ({} when absent), or undefined when it needs the schema. */
function plainProperties(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined) return {};
  if (!isPlainObject(v) || !withinPropertiesLimit(v)) return undefined;
  // Zod's record copies key by key, and a `__proto__` key does not survive that: the schema decides.
  if (Object.hasOwn(v, '__proto__')) return undefined;
  return v;
}

function plainEntity(raw: unknown): EntityItem | undefined {
  if (!isPlainObject(raw) || !onlyKeys(raw, ENTITY_KEYS) || !isLabelValue(raw.label)) return undefined;
  if (raw.entity_id !== undefined && !isIdValue(raw.entity_id)) return undefined;
  const properties = plainProperties(raw.properties);
  if (!properties) return undefined;
  return raw.entity_id === undefined
    ? { label: raw.label, properties }
    : { label: raw.label, entity_id: raw.entity_id, properties };
}

function plainEdge(raw: unknown): EdgeItem | undefined {
  if (!isPlainObject(raw) || !onlyKeys(raw, EDGE_KEYS)) return undefined;
  const { from_label, from_id, rel_type, to_label, to_id } = raw;
  if (!isLabelValue(from_label) || !isLabelValue(to_label) || !isIdValue(from_id) || !isIdValue(to_id))
    return undefined;
  if (typeof rel_type !== 'string' || !REL_TYPE_PATTERN.test(rel_type)) return undefined;
  const properties = plainProperties(raw.properties);
  if (!properties) return undefined;
  return { from_label, from_id, rel_type, to_label, to_id, properties };
}

/** Parses each raw item (`plain` for the common case, else `schema`), adding its issues located at
 * `["body", list, i, ...]`, and hands the valid ones to `accept`; stops looking once 100 issues are
 * known. */
function parseItems<T>(
  items: readonly unknown[],
  list: 'entities' | 'edges',
  plain: (raw: unknown) => T | undefined,
  schema: z.ZodType<T>,
  issues: ValidationIssue[],
  accept: (item: T, loc: (string | number)[]) => void,
): void {
  items.forEach((raw, i) => {
    if (issues.length >= 100) return;
    const loc = ['body', list, i];
    const fast = plain(raw);
    if (fast !== undefined) {
      accept(fast, loc);
      return;
    }
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
  parseItems(body.entities, 'entities', plainEntity, entityItemSchema, issues, (item, loc) => {
    const prepared = prepareEntity(item, loc);
    if (prepared.ok) entities.push({ entity: prepared.value, loc });
    else issues.push(...prepared.issues);
  });
  parseItems(body.edges, 'edges', plainEdge, edgeItemSchema, issues, (item, loc) =>
    edges.push({ edge: prepareEdge(item), loc }),
  );
  if (issues.length === 0) issues.push(...(await typeIssues(db, tenant, entities)));
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 100));
  return { entities, edges };
}

export const newEntityId = () => randomUUID();
