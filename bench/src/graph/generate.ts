import { seededRandom, sql, type Store } from '@aegis/common';
import { type Label, REL_TYPES, type RelType } from '@aegis/graph-client';
import { migrateGraphStore } from '@aegis/knowledge-graph';

/** A synthetic graph for the traversal benchmark: `entities` vertices over a realistic label mix and
 * `edges` edges. Every vertex gets typed edges to nearby vertices (well → lease, facility → well, …) and
 * the rest are uniform random CONNECTED_TO edges, so degrees average 2·edges/entities with no giant
 * hubs, and cycles are everywhere. Deterministic (fixed PRNG seed). */

export interface GeneratedGraph {
  tenant: string;
  wells: string[];
  entities: number;
  edges: number;
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

/** Rows per INSERT statement (10 values each, far below both stores' parameter limits). */
const INSERT_ROWS = 1000;

/** Writes `rows` in one transaction, INSERT_ROWS per statement; on PostgreSQL each statement takes its
 * rows as one JSON parameter (json_populate_recordset), which PostgreSQL parses far faster than 10,000
 * placeholders. */
async function insertAll(store: Store, table: 'kg_entities' | 'kg_edges', rows: object[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const part = rows.slice(i, i + INSERT_ROWS);
      if (tx.dialect === 'postgres')
        await sql`INSERT INTO ${sql.table(table)} SELECT * FROM json_populate_recordset(NULL::${sql.table(table)}, CAST(${JSON.stringify(part)} AS json))`.execute(
          tx.db,
        );
      else await tx.db.insertInto(table).values(part).execute();
    }
  });
}

export async function generateGraph(
  store: Store,
  entities: number,
  edges: number,
  tenant = 'bench',
): Promise<GeneratedGraph> {
  await migrateGraphStore(store);
  const rand = seededRandom(42);
  const nodes: { label: string; id: string }[] = [];
  for (const [label, share] of MIX) {
    const n = Math.round(entities * share);
    for (let i = 0; i < n && nodes.length < entities; i += 1) {
      nodes.push({
        label,
        id:
          label === 'Well'
            ? `42${String(100 + (i % 900)).padStart(3, '0')}${String(i).padStart(5, '0')}0000`
            : `${label.toUpperCase()}-${i}`,
      });
    }
  }
  while (nodes.length < entities) nodes.push({ label: 'Facility', id: `FACILITY-X${nodes.length}` });
  const now = new Date().toISOString();
  const BATCH = 10_000;
  for (let start = 0; start < nodes.length; start += BATCH) {
    const rows = nodes.slice(start, start + BATCH).map((n) => {
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
    await insertAll(store, 'kg_entities', rows);
  }
  const seen = new Set<string>();
  let written = 0;
  const pick = () => nodes[Math.floor(rand() * nodes.length)];
  while (written < edges) {
    const rows: Record<string, string>[] = [];
    for (let k = 0; k < BATCH && written < edges; k += 1) {
      // The first pass links each vertex to a vertex close in index order (locality); the rest are random.
      const a = written < nodes.length ? nodes[written] : pick();
      const b =
        written < nodes.length ? nodes[(written + 1 + Math.floor(rand() * 50)) % nodes.length] : pick();
      const rel = RELS[Math.floor(rand() * RELS.length)];
      const key = `${a.label}|${a.id}|${rel}|${b.label}|${b.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        edge_id: `e${written}`,
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
      written += 1;
    }
    await insertAll(store, 'kg_edges', rows);
  }
  await sql`ANALYZE`.execute(store.db);
  return {
    tenant,
    wells: nodes.filter((n) => n.label === 'Well').map((n) => n.id),
    entities: nodes.length,
    edges: written,
  };
}
