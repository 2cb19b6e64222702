import type { Label } from '../domain/labels';
import type { PreparedEntity } from '../domain/items';
import type { LocatedEdge } from './apply';
import type { PreparedBatch } from './batch';

/** A prepared batch in the form a direct import checks and writes (direct-import.ts):
 * - `entityRows`: JSON of `[label, entity_id, properties, latitude, longitude]` per entity, in order;
 * - `edgeRows`: JSON of `[from_label, from_id, rel_type, to_label, to_id, properties]` per edge;
 * - `entityKeys`: label and id of each entity, one after the other;
 * - `externalEnds`: label and id of each distinct edge endpoint that is not among the batch's
 *   entities (what the import must find among its earlier batches or in the graph). */
export interface PackedBatch {
  entityCount: number;
  edgeCount: number;
  entityRows: string;
  edgeRows: string;
  entityKeys: string[];
  externalEnds: string[];
}

export function packBatch(batch: PreparedBatch): PackedBatch {
  const entityKeys: string[] = [];
  const inBatch = new KeySet();
  for (const { entity: e } of batch.entities) {
    entityKeys.push(e.label, e.entityId);
    inBatch.add(e.label, e.entityId);
  }
  const external = new KeySet();
  const externalEnds: string[] = [];
  const end = (label: string, id: string) => {
    if (!inBatch.has(label, id) && external.add(label, id)) externalEnds.push(label, id);
  };
  for (const { edge: e } of batch.edges) {
    end(e.fromLabel, e.fromId);
    end(e.toLabel, e.toId);
  }
  return {
    entityCount: batch.entities.length,
    edgeCount: batch.edges.length,
    // Properties stay objects inside the rows: SQLite's `->` gives back each one's JSON text exactly
    // as JSON.stringify wrote it, so they are serialised once.
    entityRows: JSON.stringify(
      batch.entities.map(({ entity: e }) => [e.label, e.entityId, e.properties, e.latitude, e.longitude]),
    ),
    edgeRows: JSON.stringify(
      batch.edges.map(({ edge: e }) => [e.fromLabel, e.fromId, e.relType, e.toLabel, e.toId, e.properties]),
    ),
    entityKeys,
    externalEnds,
  };
}

/** Entity keys (label, id) as one set of ids per label, so a lookup hashes the id string it was
 * given instead of building a key. */
export class KeySet {
  private readonly byLabel = new Map<string, Set<string>>();
  size = 0;

  has(label: string, id: string): boolean {
    return this.byLabel.get(label)?.has(id) ?? false;
  }

  /** Adds the key; whether it was new. */
  add(label: string, id: string): boolean {
    let ids = this.byLabel.get(label);
    if (!ids) this.byLabel.set(label, (ids = new Set()));
    if (ids.has(id)) return false;
    ids.add(id);
    this.size += 1;
    return true;
  }
}

type EntityRow = [Label, string, Record<string, unknown>, number | null, number | null];
type EdgeRow = [Label, string, string, Label, string, Record<string, unknown>];

/** The batch's entities as prepareBatch gave them. */
export function unpackEntities(batch: PackedBatch): PreparedEntity[] {
  return (JSON.parse(batch.entityRows) as EntityRow[]).map(
    ([label, entityId, properties, latitude, longitude]) => ({
      label,
      entityId,
      properties,
      latitude,
      longitude,
    }),
  );
}

/** The batch's edges as prepareBatch gave them, located at `["body","edges",i]`. */
export function unpackEdges(batch: PackedBatch): LocatedEdge[] {
  return (JSON.parse(batch.edgeRows) as EdgeRow[]).map(
    ([fromLabel, fromId, relType, toLabel, toId, properties], i) => ({
      edge: { fromLabel, fromId, relType, toLabel, toId, properties },
      loc: ['body', 'edges', i],
    }),
  );
}
