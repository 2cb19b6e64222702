/**
 * Batching of row items for the knowledge graph: rows accumulate until the next one might not fit
 * under the per-request item limit; a batch is flattened into the request body with, for every item,
 * the row it came from (so the graph's 422 naming `entities[i]` maps back to a file row). Pure.
 */
import type { ValidationIssue } from '@aegis/common';
import {
  MAX_ITEMS_PER_ROW,
  type EdgeItem,
  type EntityItem,
  type RowItems,
  type WellProduction,
} from './graph-items';
import type { FieldIssue } from './validate';

export interface BatchRow {
  row: number;
  items: RowItems;
}

export interface FlatBatch {
  entities: EntityItem[];
  edges: EdgeItem[];
  /** Months of production (written per well, not as items). */
  production: WellProduction[];
  /** entityRows[i] is the row that produced entities[i]; likewise edgeRows and productionRows. */
  entityRows: number[];
  edgeRows: number[];
  productionRows: number[];
  /** The related entities this batch carries (remembered once it is stored). */
  related: EntityItem[];
}

/** The key under which issuesByRow files issues that name no item. */
export const BATCH_WIDE = -1;

/** Entities by label and id: a set of ids per label, so a lookup builds no key string (it runs for
 * every related entity of every row). */
export class EntitySet {
  private readonly byLabel = new Map<string, Set<string>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(label: string, id: string): boolean {
    return this.byLabel.get(label)?.has(id) ?? false;
  }

  add(label: string, id: string): void {
    let ids = this.byLabel.get(label);
    if (!ids) {
      ids = new Set();
      this.byLabel.set(label, ids);
    }
    if (ids.has(id)) return;
    ids.add(id);
    this.count += 1;
  }
}

export const rowItemCount = (items: RowItems) =>
  items.entities.length + items.related.length + items.edges.length + (items.production ? 1 : 0);

/** Collects rows until the item budget of one request would be exceeded by the next row. */
export class BatchBuilder {
  private rows: BatchRow[] = [];
  private items = 0;

  constructor(private readonly maxItems: number) {
    if (maxItems < MAX_ITEMS_PER_ROW)
      throw new Error(`batch limit must be at least ${MAX_ITEMS_PER_ROW} items`);
  }

  get size(): number {
    return this.rows.length;
  }

  /** Adds a row; true when the batch should be sent before the next row is added. */
  add(row: BatchRow): boolean {
    this.rows.push(row);
    this.items += rowItemCount(row.items);
    return this.items + MAX_ITEMS_PER_ROW > this.maxItems;
  }

  take(): BatchRow[] {
    const rows = this.rows;
    this.rows = [];
    this.items = 0;
    return rows;
  }

  clear(): void {
    this.take();
  }
}

/** The request body of one batch. Related entities already stored by this import (`sentRelated`) or
 * earlier in the batch are sent once. */
export function flattenBatch(rows: readonly BatchRow[], sentRelated: Pick<EntitySet, 'has'>): FlatBatch {
  const flat: FlatBatch = {
    entities: [],
    edges: [],
    production: [],
    entityRows: [],
    edgeRows: [],
    productionRows: [],
    related: [],
  };
  const seen = new EntitySet();
  for (const { row, items } of rows) {
    for (const e of items.entities) {
      flat.entities.push(e);
      flat.entityRows.push(row);
    }
    for (const e of items.related) {
      if (sentRelated.has(e.label, e.entity_id) || seen.has(e.label, e.entity_id)) continue;
      seen.add(e.label, e.entity_id);
      flat.related.push(e);
      flat.entities.push(e);
      flat.entityRows.push(row);
    }
    for (const e of items.edges) {
      flat.edges.push(e);
      flat.edgeRows.push(row);
    }
    if (items.production) {
      flat.production.push(items.production);
      flat.productionRows.push(row);
    }
  }
  return flat;
}

/** Maps the knowledge graph's 422 issues (`loc: ["body","entities",3,"properties","x"]`, or a sink's
 * `["production",3,"api_number"]`) to the rows that produced the items. Issues that name no item are
 * returned under BATCH_WIDE. */
export function issuesByRow(
  flat: FlatBatch,
  issues: readonly ValidationIssue[],
  by = 'the knowledge graph',
): Map<number, FieldIssue[]> {
  const out = new Map<number, FieldIssue[]>();
  for (const issue of issues) {
    const loc = issue.loc[0] === 'body' ? issue.loc.slice(1) : issue.loc;
    const [collection, index, ...rest] = loc;
    let row = BATCH_WIDE;
    if (collection === 'entities' && typeof index === 'number') row = flat.entityRows[index] ?? BATCH_WIDE;
    if (collection === 'edges' && typeof index === 'number') row = flat.edgeRows[index] ?? BATCH_WIDE;
    if (collection === 'production' && typeof index === 'number')
      row = flat.productionRows[index] ?? BATCH_WIDE;
    const tail = rest.filter((p) => p !== 'properties');
    const field = tail.length > 0 ? tail.map(String).join('.') : 'row';
    const list = out.get(row) ?? [];
    list.push({ field, reason: `rejected by ${by}: ${issue.msg}` });
    out.set(row, list);
  }
  return out;
}
