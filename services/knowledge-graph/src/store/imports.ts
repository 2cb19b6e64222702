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
import { chunks, padList } from './sql';

/** Imports: atomic loads larger than one request. Items are validated and staged (invisible), then one
 * commit applies them all in a single transaction, or a discard drops them. */

export const IMPORT_STALE_MS = 24 * 60 * 60 * 1000;
/** Staging rows read per query at commit (an 'edges' row holds up to EDGES_PER_ROW edges). */
const COMMIT_CHUNK = 2000;
/** Edges upserted per call at commit, and staging rows of edges read per query (a packed row holds up
 * to EDGES_PER_ROW edges, an old single-edge row one): memory stays bounded by a few thousand edges. */
const COMMIT_EDGES = 4000;
const COMMIT_EDGE_ROWS = 4;
/** Staged items per INSERT (6 values each). */
const STAGE_CHUNK = 500;

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
    if (tx.dialect === 'sqlite') await sql.raw(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`).execute(tx.db);
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

/** Staged edges per packed staging row: a batch's edges are staged as a few rows holding a JSON array
 * each (kind 'edges'), not one row per edge, since nothing looks edges up before the commit (ADR 0026).
 * Entities keep one row each (kind 'entity'): an edge staged later may name them. */
const EDGES_PER_ROW = 1000;

/** Keys (label+id) of the `keys` staged as entities in import `id`; one IN query per label and chunk,
 * never one query per endpoint. */
async function stagedEntities(
  { db }: GraphDb,
  id: string,
  keys: readonly { label: string; id: string }[],
): Promise<Set<string>> {
  const byLabel = new Map<string, Set<string>>();
  for (const k of keys) {
    let set = byLabel.get(k.label);
    if (!set) byLabel.set(k.label, (set = new Set()));
    set.add(k.id);
  }
  const staged = new Set<string>();
  for (const [label, ids] of byLabel) {
    for (const part of chunks([...ids], STAGE_CHUNK)) {
      const rows = await db
        .selectFrom('kg_import_items')
        .select('item_id')
        .where((eb) => eb.and({ import_id: id, item_label: label }))
        .where('item_id', 'in', padList(part))
        .execute();
      for (const r of rows) if (r.item_id !== null) staged.add(entityKey(label, r.item_id));
    }
  }
  return staged;
}

/** Stages a prepared batch. Edge endpoints must exist in the store, in this batch or among the
 * entities already staged in this import (422 naming the edge otherwise). */
export async function stageItems(
  store: GraphStore,
  tenant: string,
  id: string,
  batch: PreparedBatch,
  now: string,
): Promise<number> {
  return inOpenImport(store, tenant, id, now, async (tx, row) => {
    const here = new Set(batch.entities.map(({ entity }) => entityKey(entity.label, entity.entityId)));
    const endpoints: { label: string; id: string }[] = [];
    for (const { edge } of batch.edges) {
      if (!here.has(entityKey(edge.fromLabel, edge.fromId)))
        endpoints.push({ label: edge.fromLabel, id: edge.fromId });
      if (!here.has(entityKey(edge.toLabel, edge.toId)))
        endpoints.push({ label: edge.toLabel, id: edge.toId });
    }
    const missing = await missingEntities(tx, tenant, endpoints);
    if (missing.size > 0) {
      const unknown = endpoints.filter((k) => missing.has(entityKey(k.label, k.id)));
      for (const key of await stagedEntities(tx, id, unknown)) missing.delete(key);
      const issues = endpointIssues(batch.edges, missing);
      if (issues.length > 0) throw new ValidationError(issues);
    }
    let seq = Number(row.staged);
    const items = [
      ...batch.entities.map(({ entity }) => ({
        kind: 'entity' as const,
        item_label: entity.label,
        item_id: entity.entityId,
        payload: JSON.stringify(entity),
      })),
      ...chunks(
        batch.edges.map(({ edge }) => edge),
        EDGES_PER_ROW,
      ).map((edges) => ({
        kind: 'edges' as const,
        item_label: null,
        item_id: null,
        payload: JSON.stringify(edges),
      })),
    ];
    for (const part of chunks(items, STAGE_CHUNK)) {
      await tx.db
        .insertInto('kg_import_items')
        .values(part.map((item) => ({ import_id: id, seq: seq++, ...item })))
        .execute();
    }
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
 * the staging rows. */
export async function commitImport(
  store: GraphStore,
  tenant: string,
  id: string,
  now: string,
): Promise<ApplyCounts> {
  return inOpenImport(store, tenant, id, now, async (tx) => {
    let counts = emptyCounts();
    for await (const rows of stagedRows(tx, id, ['entity'], COMMIT_CHUNK)) {
      const entities = rows.map((r) => JSON.parse(r.payload) as PreparedEntity);
      counts = addCounts(counts, { ...emptyCounts(), ...(await upsertEntities(tx, tenant, entities, now)) });
    }
    // 'edge' rows (one edge each) were staged before edges were packed; an import opened then still
    // commits. Each edge is located by its staging row and position, as before.
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
