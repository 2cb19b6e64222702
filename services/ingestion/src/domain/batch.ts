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
  /** Keys of the related entities this batch carries (remembered once it is stored). */
  relatedKeys: string[];
}

/** The key under which issuesByRow files issues that name no item. */
export const BATCH_WIDE = -1;

export const itemKey = (label: string, id: string) => `${label}\u0000${id}`;

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
export function flattenBatch(rows: readonly BatchRow[], sentRelated: ReadonlySet<string>): FlatBatch {
  const flat: FlatBatch = {
    entities: [],
    edges: [],
    production: [],
    entityRows: [],
    edgeRows: [],
    productionRows: [],
    relatedKeys: [],
  };
  const seen = new Set<string>();
  for (const { row, items } of rows) {
    for (const e of items.entities) {
      flat.entities.push(e);
      flat.entityRows.push(row);
    }
    for (const e of items.related) {
      const key = itemKey(e.label, e.entity_id);
      if (sentRelated.has(key) || seen.has(key)) continue;
      seen.add(key);
      flat.relatedKeys.push(key);
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
