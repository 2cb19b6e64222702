import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError, type Queryable, type Store } from '@aegis/common';
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
import { chunks, placeholders } from './sql';

/** Imports: atomic loads larger than one request. Items are validated and staged (invisible), then one
 * commit applies them all in a single transaction, or a discard drops them. */

export const IMPORT_STALE_MS = 24 * 60 * 60 * 1000;
const COMMIT_CHUNK = 2000;

interface ImportRow {
  import_id: string;
  status: 'open' | 'committed' | 'discarded';
  staged: number;
}

async function lockOpenImport(tx: Queryable, tenant: string, id: string, now: string): Promise<ImportRow> {
  // The UPDATE takes the row lock (PostgreSQL) so concurrent batches and commits of one import serialise.
  await tx.run('UPDATE kg_imports SET updated_at = ? WHERE import_id = ? AND tenant_id = ?', [
    now,
    id,
    tenant,
  ]);
  const row = await tx.get<ImportRow>(
    'SELECT import_id, status, staged FROM kg_imports WHERE import_id = ? AND tenant_id = ?',
    [id, tenant],
  );
  if (!row) throw new NotFoundError('Import not found', 'import_not_found');
  if (row.status !== 'open') throw new ConflictError(`Import is already ${row.status}`, 'import_closed');
  return row;
}

export async function createImport(db: Queryable, tenant: string, now: string): Promise<string> {
  const id = randomUUID();
  await db.run(
    'INSERT INTO kg_imports (import_id, tenant_id, status, staged, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [id, tenant, 'open', 0, now, now],
  );
  return id;
}

/** Stages a prepared batch. Edge endpoints must exist in the store, in this batch or among the
 * entities already staged in this import (422 naming the edge otherwise). */
export async function stageItems(
  store: Store,
  tenant: string,
  id: string,
  batch: PreparedBatch,
  now: string,
): Promise<number> {
  return store.transaction(async (tx) => {
    const row = await lockOpenImport(tx, tenant, id, now);
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
        const staged = await tx.get(
          'SELECT 1 AS x FROM kg_import_items WHERE import_id = ? AND item_label = ? AND item_id = ?',
          [id, k.label, k.id],
        );
        if (staged) missing.delete(key);
      }
      const issues = endpointIssues(batch.edges, missing);
      if (issues.length > 0) throw new ValidationError(issues);
    }
    let seq = Number(row.staged);
    for (const { entity } of batch.entities) {
      await tx.run(
        'INSERT INTO kg_import_items (import_id, seq, kind, item_label, item_id, payload) VALUES (?, ?, ?, ?, ?, ?)',
        [id, seq, 'entity', entity.label, entity.entityId, JSON.stringify(entity)],
      );
      seq += 1;
    }
    for (const { edge } of batch.edges) {
      await tx.run(
        'INSERT INTO kg_import_items (import_id, seq, kind, item_label, item_id, payload) VALUES (?, ?, ?, ?, ?, ?)',
        [id, seq, 'edge', null, null, JSON.stringify(edge)],
      );
      seq += 1;
    }
    await tx.run('UPDATE kg_imports SET staged = ? WHERE import_id = ?', [seq, id]);
    return batch.entities.length + batch.edges.length;
  });
}

/** Applies every staged item in one transaction (entities, then edges, in staging order) and removes
 * the staging rows. */
export async function commitImport(
  store: Store,
  tenant: string,
  id: string,
  now: string,
): Promise<ApplyCounts> {
  return store.transaction(async (tx) => {
    await lockOpenImport(tx, tenant, id, now);
    let counts = emptyCounts();
    for (const kind of ['entity', 'edge'] as const) {
      let after = -1;
      for (;;) {
        const rows = await tx.all<{ seq: number; payload: string }>(
          'SELECT seq, payload FROM kg_import_items WHERE import_id = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?',
          [id, kind, after, COMMIT_CHUNK],
        );
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
    await tx.run('DELETE FROM kg_import_items WHERE import_id = ?', [id]);
    await tx.run('UPDATE kg_imports SET status = ?, updated_at = ? WHERE import_id = ?', [
      'committed',
      now,
      id,
    ]);
    return counts;
  });
}

export async function discardImport(store: Store, tenant: string, id: string, now: string): Promise<void> {
  await store.transaction(async (tx) => {
    await lockOpenImport(tx, tenant, id, now);
    await tx.run('DELETE FROM kg_import_items WHERE import_id = ?', [id]);
    await tx.run('UPDATE kg_imports SET status = ?, updated_at = ? WHERE import_id = ?', [
      'discarded',
      now,
      id,
    ]);
  });
}

/** Drops open imports untouched for IMPORT_STALE_MS and their staged rows; returns how many. */
export async function purgeStaleImports(store: Store, nowMs: number): Promise<number> {
  const cutoff = new Date(nowMs - IMPORT_STALE_MS).toISOString();
  const stale = await store.all<{ import_id: string }>(
    "SELECT import_id FROM kg_imports WHERE status = 'open' AND updated_at < ?",
    [cutoff],
  );
  for (const part of chunks(
    stale.map((s) => s.import_id),
    200,
  )) {
    await store.transaction(async (tx) => {
      await tx.run(`DELETE FROM kg_import_items WHERE import_id IN (${placeholders(part.length)})`, part);
      await tx.run(
        `UPDATE kg_imports SET status = 'discarded', updated_at = ? WHERE status = 'open' AND import_id IN (${placeholders(part.length)})`,
        [new Date(nowMs).toISOString(), ...part],
      );
    });
  }
  return stale.length;
}
