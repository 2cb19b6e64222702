import { randomBytes } from 'node:crypto';
import { ConflictError, sql, ValidationError, type Dialect, type RawBuilder } from '@aegis/common';
import { entityKey, type PreparedEdge, type PreparedEntity } from '../domain/items';
import type { Label } from '../domain/labels';
import {
  emptyCounts,
  endpointIssues,
  missingEntities,
  upsertEdges,
  upsertEntities,
  type ApplyCounts,
  type LocatedEdge,
} from './apply';
import { edgeIdTime } from './edges';
import type { GraphDb } from './schema';
import { chunks } from './sql';
import { newRowsFirst, pgArrayElements, PG_PACKED_PER_ROW, probeEach } from './staged-pg';

/** Packed staging of imports and its commit in SQL (ADR 0026, second round).
 *
 * A batch is staged as a few rows of kg_import_items holding up to PACKED_PER_ROW items each, every item
 * a JSON array of its columns with its properties as JSON text ('entity_rows': label, id, properties,
 * latitude, longitude; 'edge_rows': from_label, from_id, rel_type, to_label, to_id, properties), plus
 * one kg_import_keys row per entity so an edge of a later batch can name it. No packed row holds the
 * same key twice (a repeated key starts a new row).
 *
 * The commit takes the packed rows one at a time, in staging order, and moves their items in SQL
 * (json_each on SQLite, json_array_elements on PostgreSQL) with one INSERT … SELECT per row: an item
 * new to the graph never passes through JavaScript. Only items whose key already exists need the
 * properties merge `{...before, ...given}`; those are read back and upserted by apply.ts, exactly as
 * before, so the merge keeps one implementation and its semantics (shallow, nulls kept), which
 * neither SQLite's json_patch nor PostgreSQL's jsonb `||` give byte for byte. Since keys are distinct
 * within a row and rows go in order, applying a row's new items and its merged items in either order
 * gives what applying its items one after the other gave. */

/** Items per packed staging row; the commit numbers an item `seq * PACKED_PER_ROW + position`. */
export const PACKED_PER_ROW = 1000;
const perRow = (dialect: Dialect) => (dialect === 'postgres' ? PG_PACKED_PER_ROW : PACKED_PER_ROW);
/** Keys per statement when staging or looking them up (one JSON parameter each). */
const KEYS_PER_STATEMENT = 5000;

/** `FROM` source over a JSON array: `j.value` is one element, `pos` its 0-based position. `binary`:
 * SQLite's jsonb_each, whose elements stay JSONB, so `->>` on them reads without parsing (PostgreSQL:
 * staged-pg.ts). */
function jsonElements(
  dialect: Dialect,
  json: RawBuilder<unknown>,
  binary = false,
): { from: RawBuilder<unknown>; pos: RawBuilder<number> } {
  return dialect === 'sqlite'
    ? { from: binary ? sql`jsonb_each(${json}) AS j` : sql`json_each(${json}) AS j`, pos: sql<number>`j.key` }
    : {
        from: pgArrayElements(json, binary),
        pos: sql<number>`(j.ord - 1)`,
      };
}

const param = (value: string) => sql`${value}`;
/** Element `n` of the packed item `j.value`, as text (numbers as numbers on SQLite). */
const at = (n: number) => sql.raw(`j.value ->> ${n}`);

export interface PackedBatch {
  entities: readonly PreparedEntity[];
  edges: readonly PreparedEdge[];
  /** Per edge (same order): whether this import stages both its endpoints (in this batch or an earlier
   * one): they exist once the commit has applied the import's entities. A packed row of such edges only
   * is staged as 'anchored_edge_rows', which the commit does not look up; a row with any other edge (an
   * endpoint only the graph held, which may be deleted before the commit) is checked as a whole. */
  anchored: readonly boolean[];
}

/** Where `items` are cut into rows of at most `most`, a row never holding the same key twice:
 * the start of every row, then `items.length`. */
function packRows<T>(items: readonly T[], keyOf: (item: T) => string, most: number): number[] {
  const starts = [0];
  let keys = new Set<string>();
  for (let i = 0; i < items.length; i += 1) {
    const key = keyOf(items[i]);
    if (keys.size >= most || keys.has(key)) {
      starts.push(i);
      keys = new Set();
    }
    keys.add(key);
  }
  if (items.length > 0) starts.push(items.length);
  return starts;
}

/** The rows `packRows` cut: [first, end) of each. */
function* spans(starts: readonly number[]): Generator<[number, number]> {
  for (let k = 1; k < starts.length; k += 1) yield [starts[k - 1], starts[k]];
}

const edgeKeyOf = (e: PreparedEdge) =>
  `${e.fromLabel}\u0000${e.fromId}\u0000${e.relType}\u0000${e.toLabel}\u0000${e.toId}`;

function allAnchored(anchored: readonly boolean[], first: number, end: number): boolean {
  for (let i = first; i < end; i += 1) if (!anchored[i]) return false;
  return true;
}

/** Stages a prepared batch as packed rows from `seq` on; returns the next free seq. */
export async function stagePacked(
  tx: GraphDb,
  importId: string,
  batch: PackedBatch,
  seq: number,
): Promise<number> {
  const { entities, edges, anchored } = batch;
  const rows: { kind: PackedKind; payload: string }[] = [];
  for (const [first, end] of spans(
    packRows(entities, (e) => entityKey(e.label, e.entityId), perRow(tx.dialect)),
  ))
    rows.push({
      kind: 'entity_rows',
      payload: JSON.stringify(
        entities
          .slice(first, end)
          .map((e) => [e.label, e.entityId, JSON.stringify(e.properties), e.latitude, e.longitude]),
      ),
    });
  for (const [first, end] of spans(packRows(edges, edgeKeyOf, perRow(tx.dialect))))
    rows.push({
      kind: allAnchored(anchored, first, end) ? 'anchored_edge_rows' : 'edge_rows',
      payload: JSON.stringify(
        edges
          .slice(first, end)
          .map((e) => [e.fromLabel, e.fromId, e.relType, e.toLabel, e.toId, JSON.stringify(e.properties)]),
      ),
    });
  let next = seq;
  // SQLite keeps a packed row as JSONB (its binary JSON): the commit reads items out of it without
  // parsing text once per column.
  const payload = (text: string) => (tx.dialect === 'sqlite' ? sql<string>`jsonb(${text})` : text);
  if (rows.length > 0)
    await tx.db
      .insertInto('kg_import_items')
      .values(
        rows.map((r) => ({
          import_id: importId,
          seq: next++,
          item_label: null,
          item_id: null,
          kind: r.kind,
          payload: payload(r.payload),
        })),
      )
      .execute();
  const keys = new Map<string, [string, string]>();
  for (const e of batch.entities) keys.set(entityKey(e.label, e.entityId), [e.label, e.entityId]);
  const plain = newRowsFirst(tx);
  for (const part of chunks([...keys.values()], KEYS_PER_STATEMENT)) {
    const j = jsonElements(tx.dialect, param(JSON.stringify(part)));
    const insert = sql`INSERT INTO kg_import_keys (import_id, label, entity_id)
SELECT ${importId}, ${at(0)}, ${at(1)} FROM ${j.from} WHERE 1 = 1`;
    if ((await plain?.insert(insert)) === undefined)
      await sql`${insert} ON CONFLICT DO NOTHING`.execute(tx.db);
  }
  return next;
}

/** Keys (label+id) among `keys` that import `importId` has staged, packed or (older imports) one
 * entity per row; one query per KEYS_PER_STATEMENT keys, and the one-per-row lookup only for an import
 * that has such rows. */
export async function stagedKeys(
  tx: GraphDb,
  importId: string,
  keys: readonly { label: string; id: string }[],
): Promise<Set<string>> {
  const staged = new Set<string>();
  const lookUp = async (source: RawBuilder<unknown>, rest: readonly { label: string; id: string }[]) => {
    for (const part of chunks(
      rest.map((k) => [k.label, k.id]),
      KEYS_PER_STATEMENT,
    )) {
      const j = jsonElements(tx.dialect, param(JSON.stringify(part)));
      const { rows } = await sql<{
        label: string;
        entity_id: string;
      }>`SELECT ${at(0)} AS label, ${at(1)} AS entity_id
FROM ${j.from} WHERE ${tx.dialect === 'postgres' ? probeEach(source) : sql`EXISTS (${source})`}`.execute(
        tx.db,
      );
      for (const r of rows) staged.add(entityKey(r.label, r.entity_id));
    }
  };
  await lookUp(
    sql`SELECT 1 FROM kg_import_keys k WHERE k.import_id = ${importId} AND k.label = ${at(0)} AND k.entity_id = ${at(1)}`,
    keys,
  );
  const rest = keys.filter((k) => !staged.has(entityKey(k.label, k.id)));
  if (rest.length === 0) return staged;
  const older = await tx.db
    .selectFrom('kg_import_items')
    .select('seq')
    .where('import_id', '=', importId)
    .where('kind', '=', 'entity')
    .limit(1)
    .executeTakeFirst();
  if (older)
    await lookUp(
      sql`SELECT 1 FROM kg_import_items i WHERE i.import_id = ${importId} AND i.item_label = ${at(0)} AND i.item_id = ${at(1)}`,
      rest,
    );
  return staged;
}

type PackedKind = 'entity_rows' | 'edge_rows' | 'anchored_edge_rows';

/** Every packed row of the `kinds` in import `importId`, in staging order. */
async function packedRows(
  tx: GraphDb,
  importId: string,
  kinds: readonly PackedKind[],
): Promise<{ seq: number; kind: PackedKind }[]> {
  const rows = await tx.db
    .selectFrom('kg_import_items')
    .select(['seq', 'kind'])
    .where('import_id', '=', importId)
    .where('kind', 'in', kinds)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), kind: r.kind as PackedKind }));
}

/** How many items packed row `seq` holds, which parses the whole row: asked only on the general path
 * (always on SQLite; on PostgreSQL when the row met stored items, since a plain INSERT that took every
 * item needs no count). */
async function packedItems(tx: GraphDb, importId: string, seq: number): Promise<number> {
  const length =
    tx.dialect === 'sqlite' ? sql`json_array_length(payload)` : sql`json_array_length(CAST(payload AS json))`;
  const { rows } = await sql<{ items: number }>`SELECT ${length} AS items
FROM kg_import_items WHERE import_id = ${importId} AND seq = ${seq}`.execute(tx.db);
  return Number(rows[0].items);
}

/** The items of packed row `seq` as a CTE `s` (seq, i = position in the row, n = number, columns). */
function packedSource(tx: GraphDb, importId: string, seq: number, columns: readonly string[]) {
  const j = jsonElements(tx.dialect, sql`st.payload`, true);
  const named = sql.join(columns.map((c, k) => sql`${at(k)} AS ${sql.ref(c)}`));
  return sql`WITH s AS (
  SELECT st.seq AS seq, ${j.pos} AS i, CAST(st.seq AS BIGINT) * ${sql.lit(perRow(tx.dialect))} + ${j.pos} AS n, ${named}
  FROM kg_import_items AS st, ${j.from}
  WHERE st.import_id = ${importId} AND st.seq = ${seq}
)`;
}

const ENTITY_ITEM = ['label', 'entity_id', 'properties', 'latitude', 'longitude'] as const;
const EDGE_ITEM = ['from_label', 'from_id', 'rel_type', 'to_label', 'to_id', 'properties'] as const;

const entityIn = (tenant: string, label: RawBuilder<unknown>, id: RawBuilder<unknown>) =>
  sql`EXISTS (SELECT 1 FROM kg_entities e WHERE e.tenant_id = ${tenant} AND e.label = ${label} AND e.entity_id = ${id})`;
const edgeOn = sql`x.from_label = s.from_label AND x.from_id = s.from_id AND x.rel_type = s.rel_type AND x.to_label = s.to_label AND x.to_id = s.to_id`;

interface StagedEntityRow {
  label: Label;
  entity_id: string;
  properties: string;
}

interface StagedEdgeRow {
  seq: number;
  i: number;
  from_label: Label;
  from_id: string;
  rel_type: string;
  to_label: Label;
  to_id: string;
  properties: string;
}

const located = (r: StagedEdgeRow): LocatedEdge => ({
  edge: {
    fromLabel: r.from_label,
    fromId: r.from_id,
    relType: r.rel_type,
    toLabel: r.to_label,
    toId: r.to_id,
    properties: JSON.parse(r.properties) as Record<string, unknown>,
  },
  loc: ['import', 'items', Number(r.seq), Number(r.i)],
});

/** A row of the commit lost items to a concurrent writer (PostgreSQL): nothing is applied. */
function concurrentWrite(): ConflictError {
  return new ConflictError(
    'Another request wrote the same entities or edges during the commit; commit again',
    'import_conflict',
  );
}

/** PostgreSQL plans each statement from the table statistics of the last ANALYZE, which know nothing
 * of the rows this commit has inserted: after a few thousand, it hashed the whole table for every
 * row's existence checks (a 100k-row commit took minutes). ANALYZE sees the transaction's own rows, so
 * before a query that reads a table the commit has grown by half again, the commit refreshes that
 * table's statistics: a few ANALYZEs for a million rows, each sampling at most 30,000 rows, and none
 * of kg_edges unless an edge already existed. SQLite needs none of this. */
export class PlannerStats {
  private readonly added = new Map<StatsTable, number>();
  private readonly analysed = new Map<StatsTable, number>();

  constructor(private readonly tx: GraphDb) {}

  grew(table: StatsTable, rows: number): void {
    this.added.set(table, (this.added.get(table) ?? 0) + rows);
  }

  /** Refreshes the statistics of `table` if this commit has grown it by half (and at least 5,000 rows)
   * since the last refresh; the statistics the commit starts with are the store's own. */
  async fresh(table: StatsTable): Promise<void> {
    if (this.tx.dialect !== 'postgres') return;
    const added = this.added.get(table) ?? 0;
    const at = this.analysed.get(table) ?? 0;
    if (added - at < Math.max(5000, at / 2)) return;
    await sql`ANALYZE ${sql.table(table)}`.execute(this.tx.db);
    this.analysed.set(table, added);
  }
}

type StatsTable = 'kg_entities' | 'kg_edges';

/** Applies the packed entities of an import, in staging order. */
export async function commitPackedEntities(
  tx: GraphDb,
  tenant: string,
  importId: string,
  now: string,
  stats: PlannerStats,
): Promise<ApplyCounts> {
  const counts = emptyCounts();
  const plain = newRowsFirst(tx);
  for (const { seq } of await packedRows(tx, importId, ['entity_rows'])) {
    const s = packedSource(tx, importId, seq, ENTITY_ITEM);
    // In key order, which spares SQLite a third of the B-tree work of random order (measured).
    const insert = sql`${s}
INSERT INTO kg_entities (tenant_id, label, entity_id, properties, latitude, longitude, created_at, updated_at)
SELECT ${tenant}, label, entity_id, properties, CAST(latitude AS DOUBLE PRECISION),
  CAST(longitude AS DOUBLE PRECISION), ${now}, ${now}
FROM s WHERE 1 = 1 ORDER BY label, entity_id`;
    const allNew = await plain?.insert(insert);
    if (allNew !== undefined) {
      counts.created += allNew;
      stats.grew('kg_entities', allNew);
      continue;
    }
    await stats.fresh('kg_entities');
    // Items whose key exists take the merge in apply.ts.
    const merge = await sql<StagedEntityRow>`${s}
SELECT label, entity_id, properties FROM s WHERE ${entityIn(tenant, sql`s.label`, sql`s.entity_id`)}
ORDER BY i`.execute(tx.db);
    if (merge.rows.length > 0) {
      const done = await upsertEntities(
        tx,
        tenant,
        merge.rows.map((r) => {
          const properties = JSON.parse(r.properties) as Record<string, unknown>;
          return { label: r.label, entityId: r.entity_id, properties, latitude: null, longitude: null };
        }),
        now,
      );
      counts.created += done.created;
      counts.updated += done.updated;
    }
    // The rest is new: one INSERT (the merged ones are skipped, they exist).
    const inserted = await sql`${insert} ON CONFLICT DO NOTHING`.execute(tx.db);
    const created = Number(inserted.numAffectedRows ?? 0n);
    if (created + merge.rows.length !== (await packedItems(tx, importId, seq))) throw concurrentWrite();
    counts.created += created;
    stats.grew('kg_entities', created);
  }
  return counts;
}

/** New edge ids in SQL: version-7 UUIDs (RFC 9562) of the commit's millisecond `time`, then the item's
 * number `n` (default: the packed source's column `s.n`) as a 42-bit counter (§6.2, method 1: ids of one commit ascend, so the edge_id index is
 * appended to) and 32 random bits drawn once per commit, so the id of item n is known after the
 * INSERT and an item skipped because its edge exists can be told from one inserted. */
export function edgeIdSql(
  dialect: Dialect,
  time: string,
  random: string,
  n: RawBuilder<unknown> = sql`s.n`,
): RawBuilder<string> {
  if (dialect === 'sqlite')
    return sql<string>`printf('%s-7%03x-%04x-%04x%s', ${time}, (${n} >> 14) & 4095, 32768 | (${n} & 16383), (${n} >> 26) & 65535, ${random})`;
  const hex = (v: RawBuilder<unknown>, width: number) => sql`lpad(to_hex(${v}), ${sql.lit(width)}, '0')`;
  return sql<string>`(${time} || '-7' || ${hex(sql`(${n} >> 14) & 4095`, 3)} || '-' || to_hex(32768 | (${n} & 16383)) || '-' || ${hex(sql`(${n} >> 26) & 65535`, 4)} || ${random})`;
}

/** 422 naming the first edges of packed row `s` with an endpoint that does not exist (any more). */
async function checkEndpoints(
  tx: GraphDb,
  tenant: string,
  s: RawBuilder<unknown>,
  stats: PlannerStats,
): Promise<void> {
  await stats.fresh('kg_entities');
  const dangling = await sql<StagedEdgeRow>`${s}
SELECT seq, i, from_label, from_id, rel_type, to_label, to_id, properties FROM s
WHERE NOT ${entityIn(tenant, sql`s.from_label`, sql`s.from_id`)} OR NOT ${entityIn(tenant, sql`s.to_label`, sql`s.to_id`)}
ORDER BY i LIMIT 100`.execute(tx.db);
  if (dangling.rows.length === 0) return;
  const edges = dangling.rows.map(located);
  const endpoints = edges.flatMap(({ edge }) => [
    { label: edge.fromLabel, id: edge.fromId },
    { label: edge.toLabel, id: edge.toId },
  ]);
  throw new ValidationError(endpointIssues(edges, await missingEntities(tx, tenant, endpoints)));
}

/** Applies the packed edges of an import, in staging order; every endpoint must exist by now (422
 * naming the edge as `["import","items",seq,i,"from_id"|"to_id"]` otherwise): checked for the rows
 * whose edges name an entity only the graph held at staging, which may have been deleted since. */
export async function commitPackedEdges(
  tx: GraphDb,
  tenant: string,
  importId: string,
  now: string,
  nowMs: number,
  stats: PlannerStats,
): Promise<ApplyCounts> {
  const counts = emptyCounts();
  const time = edgeIdTime(nowMs);
  const random = randomBytes(4).toString('hex');
  const plain = newRowsFirst(tx);
  for (const { seq, kind } of await packedRows(tx, importId, ['edge_rows', 'anchored_edge_rows'])) {
    const s = packedSource(tx, importId, seq, EDGE_ITEM);
    if (kind === 'edge_rows') await checkEndpoints(tx, tenant, s, stats);
    const id = edgeIdSql(tx.dialect, time, random);
    const insert = sql`${s}
INSERT INTO kg_edges (edge_id, tenant_id, from_label, from_id, rel_type, to_label, to_id, properties, created_at, updated_at)
SELECT ${id}, ${tenant}, from_label, from_id, rel_type, to_label, to_id, properties, ${now}, ${now}
FROM s WHERE 1 = 1`;
    const allNew = await plain?.insert(insert);
    if (allNew !== undefined) {
      counts.edges_created += allNew;
      stats.grew('kg_edges', allNew);
      continue;
    }
    const inserted = await sql`${insert} ON CONFLICT DO NOTHING`.execute(tx.db);
    const created = Number(inserted.numAffectedRows ?? 0n);
    counts.edges_created += created;
    stats.grew('kg_edges', created);
    const items = await packedItems(tx, importId, seq);
    if (created === items) continue;
    await stats.fresh('kg_edges');
    // Some edges existed: those (their stored id is not the one this commit gave) take the merge. A
    // correlated EXISTS, so SQLite walks the row's items and probes the natural key (a JOIN let it
    // scan kg_edges_to instead).
    const merge = await sql<StagedEdgeRow>`${s}
SELECT seq, i, from_label, from_id, rel_type, to_label, to_id, properties FROM s
WHERE EXISTS (SELECT 1 FROM kg_edges x WHERE x.tenant_id = ${tenant} AND ${edgeOn} AND x.edge_id <> ${id})
ORDER BY i`.execute(tx.db);
    if (created + merge.rows.length !== items) throw concurrentWrite();
    const done = await upsertEdges(tx, tenant, merge.rows.map(located), now);
    counts.edges_created += done.edges_created;
    counts.edges_updated += done.edges_updated;
  }
  return counts;
}
