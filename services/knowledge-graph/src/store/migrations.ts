import { sql, type Migration } from '@aegis/common';
import { PG_IMPORT_PAYLOAD_LZ4 } from './migrations-pg';

/** Knowledge-graph schema, portable across SQLite and PostgreSQL. Vertices and edges are keyed by
 * their natural keys (tenant, label, entity_id); properties are JSON text; latitude and longitude are
 * copied into indexed columns for the distance prefilter. */
export const KG_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_graph',
    up: `
CREATE TABLE kg_entities (
  tenant_id TEXT NOT NULL,
  label TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  properties TEXT NOT NULL,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, label, entity_id)
);
CREATE INDEX kg_entities_geo ON kg_entities (tenant_id, latitude, longitude);
CREATE INDEX kg_entities_updated ON kg_entities (tenant_id, label, updated_at);
CREATE TABLE kg_edges (
  edge_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  from_label TEXT NOT NULL,
  from_id TEXT NOT NULL,
  rel_type TEXT NOT NULL,
  to_label TEXT NOT NULL,
  to_id TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, from_label, from_id, rel_type, to_label, to_id)
);
CREATE INDEX kg_edges_to ON kg_edges (tenant_id, to_label, to_id, rel_type);
CREATE TABLE kg_entity_types (
  tenant_id TEXT NOT NULL,
  type_key TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT,
  fields TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, type_key)
);
CREATE TABLE kg_imports (
  import_id TEXT NOT NULL PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  status TEXT NOT NULL,
  staged INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX kg_imports_tenant ON kg_imports (tenant_id, status, created_at);
CREATE TABLE kg_import_items (
  import_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  item_label TEXT,
  item_id TEXT,
  payload TEXT NOT NULL,
  PRIMARY KEY (import_id, seq)
);
CREATE INDEX kg_import_items_key ON kg_import_items (import_id, item_label, item_id);
`,
  },
  {
    // The keys an import has staged (ADR 0026, second round): a later batch's edge may name an entity
    // staged earlier, and entities are now staged packed, many to a row. One B-tree on SQLite.
    id: '0002_import_keys',
    up: async (tx) => {
      await sql
        .raw(
          `CREATE TABLE kg_import_keys (
  import_id TEXT NOT NULL,
  label TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  PRIMARY KEY (import_id, label, entity_id)
)${tx.dialect === 'sqlite' ? ' WITHOUT ROWID' : ''}`,
        )
        .execute(tx.db);
    },
  },
  PG_IMPORT_PAYLOAD_LZ4,
];
