import Database from 'better-sqlite3';
import { seededRandom, sql, type Queryable, type Store } from '@aegis/common';
import { type Label, REL_TYPES, type RelType } from '@aegis/graph-client';
import { EDGE_TABLE_COLUMNS, ENTITY_TABLE_COLUMNS, migrateGraphStore } from '@aegis/knowledge-graph';

/** A synthetic graph for the traversal benchmark: `entities` vertices over a realistic label mix and
 * `edges` edges. Every vertex gets typed edges to nearby vertices (well → lease, facility → well, …) and
 * the rest are uniform random CONNECTED_TO edges, so degrees average 2·edges/entities with no giant
 * hubs, and cycles are everywhere. Deterministic (fixed PRNG seed).
 *
 * Loading is a bulk load, not the service's write path (ingestion has its own benchmark): the
 * secondary indexes are dropped, the rows written in one transaction, and the indexes built again
 * from their stored definitions, which sorts once instead of inserting into every index row by row.
 * On SQLite the rows go through one prepared statement on the file itself; on PostgreSQL each
 * statement takes its rows as one JSON parameter (json_populate_recordset). */

export interface GeneratedGraph {
  tenant: string;
  wells: string[];
  entities: number;
  edges: number;
}

export interface GenerateOptions {
  tenant?: string;
  /** The SQLite file behind `store` (the bulk load writes to it directly); absent for PostgreSQL. */
  sqliteFile?: string;
}

const MIX: [Label, number][] = [
  ['Well', 0.5],
  ['Lease', 0.1],
  ['Facility', 0.1],
  ['FlaringEvent', 0.15],
  ['Permit', 0.1],
  ['Equipment', 0.05],
];
const RELS: RelType[] = [
  REL_TYPES.CONNECTED_TO,
  REL_TYPES.ON_LEASE,
  REL_TYPES.FLARED_AT,
  REL_TYPES.AUTHORIZES,
  REL_TYPES.LOCATED_IN,
];

type EntityRow = Record<(typeof ENTITY_TABLE_COLUMNS)[number], string | number> & {
  label: string;
  entity_id: string;
};
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type EdgeRow = Record<(typeof EDGE_TABLE_COLUMNS)[number], string>;
const TABLES = ['kg_entities', 'kg_edges'] as const;

/** Rows per PostgreSQL statement (one JSON parameter each). */
const PG_CHUNK = 5000;

interface Rows {
  entities: EntityRow[];
  edges: EdgeRow[];
  wells: string[];
}

function generateRows(entityCount: number, edgeCount: number, tenant: string): Rows {
  const rand = seededRandom(42);
  const nodes: { label: string; id: string }[] = [];
  for (const [label, share] of MIX) {
    const n = Math.round(entityCount * share);
    for (let i = 0; i < n && nodes.length < entityCount; i += 1) {
      nodes.push({
        label,
        id:
          label === 'Well'
            ? `42${String(100 + (i % 900)).padStart(3, '0')}${String(i).padStart(5, '0')}0000`
            : `${label.toUpperCase()}-${i}`,
      });
    }
  }
  while (nodes.length < entityCount) nodes.push({ label: 'Facility', id: `FACILITY-X${nodes.length}` });
  const now = new Date().toISOString();
  const entities: EntityRow[] = nodes.map((n) => {
    const lat = 31 + rand() * 2;
    const lon = -104 + rand() * 3;
    return {
      tenant_id: tenant,
      label: n.label,
      entity_id: n.id,
      properties: JSON.stringify({
        name: n.id,
        status: rand() < 0.8 ? 'active' : 'shut_in',
        latitude: lat,
        longitude: lon,
      }),
      latitude: lat,
      longitude: lon,
      created_at: now,
      updated_at: now,
    };
  });
  const seen = new Set<string>();
  const edges: EdgeRow[] = [];
  const pick = () => nodes[Math.floor(rand() * nodes.length)];
  while (edges.length < edgeCount) {
    const written = edges.length;
    // The first pass links each vertex to a vertex close in index order (locality); the rest are random.
    const a = written < nodes.length ? nodes[written] : pick();
    const b = written < nodes.length ? nodes[(written + 1 + Math.floor(rand() * 50)) % nodes.length] : pick();
    const rel = RELS[Math.floor(rand() * RELS.length)];
    const key = `${a.label}|${a.id}|${rel}|${b.label}|${b.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({
      // Zero-padded so the primary key is written in order.
      edge_id: `e${String(written).padStart(9, '0')}`,
      tenant_id: tenant,
      from_label: a.label,
      from_id: a.id,
      rel_type: rel,
      to_label: b.label,
      to_id: b.id,
      properties: '{}',
      created_at: now,
      updated_at: now,
    });
  }
  // The primary key's order, so the table and its key index are appended to, not split.
  entities.sort((x, y) => compare(x.label, y.label) || compare(x.entity_id, y.entity_id));
  return { entities, edges, wells: nodes.filter((n) => n.label === 'Well').map((n) => n.id) };
}

function loadSqlite(file: string, rows: Rows): void {
  const db = new Database(file);
  try {
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576'); // 1 GiB for this load only
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => '?').join(', ')})`,
      )
      .all(...TABLES) as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    const insert = (table: string, columns: readonly string[]) =>
      db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
    const entity = insert('kg_entities', ENTITY_TABLE_COLUMNS);
    const edge = insert('kg_edges', EDGE_TABLE_COLUMNS);
    db.transaction(() => {
      for (const r of rows.entities) entity.run(ENTITY_TABLE_COLUMNS.map((c) => r[c]));
      for (const r of rows.edges) edge.run(EDGE_TABLE_COLUMNS.map((c) => r[c]));
    })();
    for (const index of indexes) db.exec(index.sql);
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

async function loadPostgres(tx: Queryable, rows: Rows): Promise<void> {
  await sql`SET LOCAL maintenance_work_mem = '512MB'`.execute(tx.db);
  // Indexes that back no constraint (the primary keys and the edge natural key stay).
  const indexes = (
    await sql<{ indexname: string; indexdef: string }>`
      SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename IN ('kg_entities', 'kg_edges')
        AND indexname NOT IN (SELECT conname FROM pg_constraint)`.execute(tx.db)
  ).rows;
  for (const index of indexes) await sql`DROP INDEX ${sql.id(index.indexname)}`.execute(tx.db);
  const put = async (table: (typeof TABLES)[number], list: object[]) => {
    for (let i = 0; i < list.length; i += PG_CHUNK)
      await sql`INSERT INTO ${sql.table(table)} SELECT * FROM json_populate_recordset(NULL::${sql.table(table)}, CAST(${JSON.stringify(list.slice(i, i + PG_CHUNK))} AS json))`.execute(
        tx.db,
      );
  };
  await put('kg_entities', rows.entities);
  await put('kg_edges', rows.edges);
  for (const index of indexes) await sql.raw(index.indexdef).execute(tx.db);
}

export async function generateGraph(
  store: Store,
  entities: number,
  edges: number,
  options: GenerateOptions = {},
): Promise<GeneratedGraph> {
  const tenant = options.tenant ?? 'bench';
  await migrateGraphStore(store);
  const rows = generateRows(entities, edges, tenant);
  if (store.dialect === 'sqlite') {
    if (!options.sqliteFile) throw new Error('generateGraph on SQLite needs options.sqliteFile');
    loadSqlite(options.sqliteFile, rows);
  } else {
    await store.transaction((tx) => loadPostgres(tx, rows));
    await sql`ANALYZE`.execute(store.db);
  }
  return { tenant, wells: rows.wells, entities: rows.entities.length, edges: rows.edges.length };
}
