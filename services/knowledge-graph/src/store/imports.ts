import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '@aegis/common';
import { entityKey, type PreparedEdge, type PreparedEntity } from '../domain/items';
import {
  addCounts,
  emptyCounts,
  endpointIssues,
  missingEntities,
  upsertEdges,
  upsertEntities,
  type ApplyCounts,
} from './apply';
import type { PreparedBatch } from './batch';
import type { GraphDb, GraphStore, ImportsTable } from './schema';
import { chunks } from './sql';

/** Imports: atomic loads larger than one request. Items are validated and staged (invisible), then one
 * commit applies them all in a single transaction, or a discard drops them. */

export const IMPORT_STALE_MS = 24 * 60 * 60 * 1000;
const COMMIT_CHUNK = 2000;
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

/** Runs `fn` in one transaction holding the lock of an open import (404 unknown, 409 closed). */
function inOpenImport<T>(
  store: GraphStore,
  tenant: string,
  id: string,
  now: string,
  fn: (tx: GraphDb, row: ImportRow) => Promise<T>,
): Promise<T> {
  return store.transaction(async (tx) => fn(tx, await lockOpenImport(tx, tenant, id, now)));
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
    const endpoints = batch.edges
      .flatMap(({ edge }) => [
        { label: edge.fromLabel, id: edge.fromId },
        { label: edge.toLabel, id: edge.toId },
      ])
      .filter((k) => !here.has(entityKey(k.label, k.id)));
    const missing = await missingEntities(tx, tenant, endpoints);
    if (missing.size > 0) {
      for (const k of endpoints) {
        const key = entityKey(k.label, k.id);
        if (!missing.has(key)) continue;
        const staged = await tx.db
          .selectFrom('kg_import_items')
          .select('seq')
          .where((eb) => eb.and({ import_id: id, item_label: k.label, item_id: k.id }))
          .executeTakeFirst();
        if (staged) missing.delete(key);
      }
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
      ...batch.edges.map(({ edge }) => ({
        kind: 'edge' as const,
        item_label: null,
        item_id: null,
        payload: JSON.stringify(edge),
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
    for (const kind of ['entity', 'edge'] as const) {
      let after = -1;
      for (;;) {
        const rows = await tx.db
          .selectFrom('kg_import_items')
          .select(['seq', 'payload'])
          .where((eb) => eb.and({ import_id: id, kind }))
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(COMMIT_CHUNK)
          .execute();
        if (rows.length === 0) break;
        after = Number(rows[rows.length - 1].seq);
        if (kind === 'entity') {
          const entities = rows.map((r) => JSON.parse(r.payload) as PreparedEntity);
          counts = addCounts(counts, {
            ...emptyCounts(),
            ...(await upsertEntities(tx, tenant, entities, now)),
          });
        } else {
          const edges = rows.map((r) => ({
            edge: JSON.parse(r.payload) as PreparedEdge,
            loc: ['import', 'items', Number(r.seq)],
          }));
          counts = addCounts(counts, { ...emptyCounts(), ...(await upsertEdges(tx, tenant, edges, now)) });
        }
      }
    }
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
