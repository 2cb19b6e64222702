import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, sql, ValidationError } from '@aegis/common';
import { entityKey, type PreparedEdge, type PreparedEntity } from '../domain/items';
import {
  addCounts,
  emptyCounts,
  endpointIssues,
  missingEntities,
  upsertEdges,
  upsertEntities,
  type ApplyCounts,
  type LocatedEdge,
} from './apply';
import type { PreparedBatch } from './batch';
import type { GraphDb, GraphStore, ImportsTable, StagedKind } from './schema';
import { chunks } from './sql';
import { commitPackedEdges, commitPackedEntities, PlannerStats, stagedKeys, stagePacked } from './staged';

/** Imports: atomic loads larger than one request. Items are validated and staged (invisible), then one
 * commit applies them all in a single transaction, or a discard drops them. On a SQLite file store an
 * import instead writes its batches inside a transaction of its own (direct-import.ts, ADR 0032). */

export const IMPORT_STALE_MS = 24 * 60 * 60 * 1000;
/** Staging rows of older imports read per query at commit (kind 'entity': one entity each). */
const COMMIT_CHUNK = 2000;
/** Edges of older imports upserted per call at commit, and their staging rows read per query (an
 * 'edges' row holds up to 1,000 edges, an 'edge' row one): memory stays bounded by a few thousand. */
const COMMIT_EDGES = 4000;
const COMMIT_EDGE_ROWS = 4;

type ImportRow = Pick<ImportsTable, 'import_id' | 'status' | 'staged'>;

async function lockOpenImport({ db }: GraphDb, tenant: string, id: string, now: string): Promise<ImportRow> {
  // The UPDATE takes the row lock (PostgreSQL) so concurrent batches and commits of one import serialise.
  await db
    .updateTable('kg_imports')
    .set({ updated_at: now })
    .where((eb) => eb.and({ import_id: id, tenant_id: tenant }))
    .execute();
  const row = await db
    .selectFrom('kg_imports')
    .select(['import_id', 'status', 'staged'])
    .where((eb) => eb.and({ import_id: id, tenant_id: tenant }))
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Import not found', 'import_not_found');
  if (row.status !== 'open') throw new ConflictError(`Import is already ${row.status}`, 'import_closed');
  return row;
}

/** SQLite's page cache for the connection that loads imports: the default 2 MiB holds a sliver of the
 * edge indexes once a graph has a few hundred thousand edges, and every upsert then reads its index
 * pages back from the OS. A bounded 64 MiB (ADR 0026); PostgreSQL sizes its own buffers. */
const SQLITE_CACHE_KIB = 64 * 1024;

/** Runs `fn` in one transaction holding the lock of an open import (404 unknown, 409 closed). */
function inOpenImport<T>(
  store: GraphStore,
  tenant: string,
  id: string,
  now: string,
  fn: (tx: GraphDb, row: ImportRow) => Promise<T>,
): Promise<T> {
  return store.transaction(async (tx) => {
    if (tx.dialect === 'sqlite') {
      await sql.raw(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`).execute(tx.db);
      await sql.raw(`PRAGMA temp_store = MEMORY`).execute(tx.db);
    }
    return fn(tx, await lockOpenImport(tx, tenant, id, now));
  });
}

async function closeImport(
  { db }: GraphDb,
  id: string,
  status: 'committed' | 'discarded',
  now: string,
): Promise<void> {
  await db.deleteFrom('kg_import_items').where('import_id', '=', id).execute();
  await db.deleteFrom('kg_import_keys').where('import_id', '=', id).execute();
  await db.updateTable('kg_imports').set({ status, updated_at: now }).where('import_id', '=', id).execute();
}

export async function createImport({ db }: GraphDb, tenant: string, now: string): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('kg_imports')
    .values({ import_id: id, tenant_id: tenant, status: 'open', staged: 0, created_at: now, updated_at: now })
    .execute();
  return id;
}

/** Stages a prepared batch (packed: staged.ts). Edge endpoints must exist in the store, in this batch
 * or among the entities already staged in this import (422 naming the edge otherwise). */
export async function stageItems(
  store: GraphStore,
  tenant: string,
  id: string,
  batch: PreparedBatch,
  now: string,
): Promise<number> {
  return inOpenImport(store, tenant, id, now, async (tx, row) => {
    // Entities this import stages (this batch's, then the earlier batches' its edges name): they exist
    // once the commit has applied the import's entities. Each edge's endpoint keys are made once.
    const staged = new Set<string>();
    for (const { entity } of batch.entities) staged.add(entityKey(entity.label, entity.entityId));
    const endpoints = new Map<string, { label: string; id: string }>();
    const fromKeys: string[] = [];
    const toKeys: string[] = [];
    for (const { edge } of batch.edges) {
      const from = entityKey(edge.fromLabel, edge.fromId);
      if (!staged.has(from)) endpoints.set(from, { label: edge.fromLabel, id: edge.fromId });
      const to = entityKey(edge.toLabel, edge.toId);
      if (!staged.has(to)) endpoints.set(to, { label: edge.toLabel, id: edge.toId });
      fromKeys.push(from);
      toKeys.push(to);
    }
    if (endpoints.size > 0) {
      // The import's own keys first: an edge of a later batch mostly names an entity an earlier batch
      // staged (an upload's operators, leases and fields), which is then anchored even if the graph
      // already holds it; the graph is asked only about the rest.
      const named = [...endpoints.values()];
      for (const key of await stagedKeys(tx, id, named)) staged.add(key);
      const rest = named.filter((k) => !staged.has(entityKey(k.label, k.id)));
      const missing = rest.length > 0 ? await missingEntities(tx, tenant, rest) : new Set<string>();
      if (missing.size > 0) throw new ValidationError(endpointIssues(batch.edges, missing));
    }
    const seq = await stagePacked(
      tx,
      id,
      {
        entities: batch.entities.map((e) => e.entity),
        edges: batch.edges.map((e) => e.edge),
        anchored: fromKeys.map((from, i) => staged.has(from) && staged.has(toKeys[i])),
      },
      Number(row.staged),
    );
    await tx.db.updateTable('kg_imports').set({ staged: seq }).where('import_id', '=', id).execute();
    return batch.entities.length + batch.edges.length;
  });
}

/** Staged rows of the given kinds in staging order, `limit` rows at a time (keyset on seq). */
async function* stagedRows(
  { db }: GraphDb,
  id: string,
  kinds: readonly StagedKind[],
  limit: number,
): AsyncGenerator<{ seq: number; kind: string; payload: string }[]> {
  let after = -1;
  for (;;) {
    const rows = await db
      .selectFrom('kg_import_items')
      .select(['seq', 'kind', 'payload'])
      .where('import_id', '=', id)
      .where('kind', 'in', kinds)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1].seq);
    yield rows.map((r) => ({ seq: Number(r.seq), kind: r.kind, payload: r.payload }));
  }
}

/** Applies every staged item in one transaction (entities, then edges, in staging order) and removes
 * the staging rows. Rows staged one item per row by an earlier version (kinds 'entity', 'edge',
 * 'edges') come first: they precede every packed row of the same import. */
export async function commitImport(
  store: GraphStore,
  tenant: string,
  id: string,
  now: string,
): Promise<ApplyCounts> {
  return inOpenImport(store, tenant, id, now, async (tx) => {
    const nowMs = Date.now();
    let counts = emptyCounts();
    for await (const rows of stagedRows(tx, id, ['entity'], COMMIT_CHUNK)) {
      const entities = rows.map((r) => JSON.parse(r.payload) as PreparedEntity);
      counts = addCounts(counts, { ...emptyCounts(), ...(await upsertEntities(tx, tenant, entities, now)) });
    }
    const stats = new PlannerStats(tx);
    counts = addCounts(counts, await commitPackedEntities(tx, tenant, id, now, stats));
    // Each edge is located by its staging row and position, as before.
    let edges: LocatedEdge[] = [];
    const flush = async () => {
      counts = addCounts(counts, { ...emptyCounts(), ...(await upsertEdges(tx, tenant, edges, now)) });
      edges = [];
    };
    for await (const rows of stagedRows(tx, id, ['edge', 'edges'], COMMIT_EDGE_ROWS)) {
      for (const r of rows) {
        if (r.kind === 'edge')
          edges.push({ edge: JSON.parse(r.payload) as PreparedEdge, loc: ['import', 'items', r.seq] });
        else
          (JSON.parse(r.payload) as PreparedEdge[]).forEach((edge, i) =>
            edges.push({ edge, loc: ['import', 'items', r.seq, i] }),
          );
        if (edges.length >= COMMIT_EDGES) await flush();
      }
    }
    if (edges.length > 0) await flush();
    counts = addCounts(counts, await commitPackedEdges(tx, tenant, id, now, nowMs, stats));
    await closeImport(tx, id, 'committed', now);
    return counts;
  });
}

export async function discardImport(
  store: GraphStore,
  tenant: string,
  id: string,
  now: string,
): Promise<void> {
  await inOpenImport(store, tenant, id, now, (tx) => closeImport(tx, id, 'discarded', now));
}

/** Drops open imports untouched for IMPORT_STALE_MS and their staged rows; returns how many. */
export async function purgeStaleImports(store: GraphStore, nowMs: number): Promise<number> {
  const cutoff = new Date(nowMs - IMPORT_STALE_MS).toISOString();
  const stale = await store.db
    .selectFrom('kg_imports')
    .select('import_id')
    .where('status', '=', 'open')
    .where('updated_at', '<', cutoff)
    .execute();
  for (const part of chunks(
    stale.map((s) => s.import_id),
    200,
  )) {
    await store.transaction(async ({ db }) => {
      await db.deleteFrom('kg_import_items').where('import_id', 'in', part).execute();
      await db.deleteFrom('kg_import_keys').where('import_id', 'in', part).execute();
      await db
        .updateTable('kg_imports')
        .set({ status: 'discarded', updated_at: new Date(nowMs).toISOString() })
        .where('status', '=', 'open')
        .where('import_id', 'in', part)
        .execute();
    });
  }
  return stale.length;
}
