import type { Queryable, Store } from '@aegis/common';

/** The knowledge-graph tables as the store returns them (migrations.ts creates them). Vertices and
 * edges are keyed by their natural keys; `properties` is JSON text; times are ISO-8601 text. */
export interface EntitiesTable {
  tenant_id: string;
  label: string;
  entity_id: string;
  properties: string;
  /** Copied from properties for the distance prefilter. */
  latitude: number | null;
  longitude: number | null;
  created_at: string;
  updated_at: string;
}

export interface EdgesTable {
  edge_id: string;
  tenant_id: string;
  from_label: string;
  from_id: string;
  rel_type: string;
  to_label: string;
  to_id: string;
  properties: string;
  created_at: string;
  updated_at: string;
}

export interface EntityTypesTable {
  tenant_id: string;
  type_key: string;
  display_name: string;
  description: string | null;
  /** JSON list of field definitions. */
  fields: string;
  created_at: string;
  updated_at: string;
}

export interface ImportsTable {
  import_id: string;
  tenant_id: string;
  status: 'open' | 'applying' | 'committed' | 'discarded';
  staged: number;
  created_at: string;
  updated_at: string;
}

/** 'entity_rows' and 'edge_rows' (ADR 0026, second round): up to 1,000 items per row, each a JSON array
 * of its columns with the properties as JSON text, so the commit moves them with INSERT … SELECT.
 * 'anchored_edge_rows' are edge rows whose every endpoint the import itself stages, so the commit,
 * which applies the import's entities first, needs no check that they exist. The older kinds are what
 * imports opened by an earlier version staged; they still commit. */
export type StagedKind = 'entity' | 'edge' | 'edges' | 'entity_rows' | 'edge_rows' | 'anchored_edge_rows';

export interface ImportItemsTable {
  import_id: string;
  seq: number;
  /** 'entity': one entity; 'edges': a JSON array of edges (ADR 0026); 'edge': one edge (staged
   * before edges were packed). */
  kind: StagedKind;
  item_label: string | null;
  item_id: string | null;
  /** The prepared item as JSON. */
  payload: string;
}

/** The entities an import has staged (label + id), for edges of later batches that name them. */
export interface ImportKeysTable {
  import_id: string;
  label: string;
  entity_id: string;
}

export interface GraphDatabase {
  kg_entities: EntitiesTable;
  kg_edges: EdgesTable;
  kg_entity_types: EntityTypesTable;
  kg_imports: ImportsTable;
  kg_import_items: ImportItemsTable;
  kg_import_keys: ImportKeysTable;
}

/** The graph store or one of its transactions. */
export type GraphDb = Queryable<GraphDatabase>;
export type GraphStore = Store<GraphDatabase>;
