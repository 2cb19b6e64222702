import { sql, ValidationError, type Insertable, type ValidationIssue } from '@aegis/common';
import { entityKey, type PreparedEdge, type PreparedEntity } from '../domain/items';
import { EDGE_TABLE_COLUMNS, newEdgeRow } from './edges';
import { ENTITY_TABLE_COLUMNS, existingIds, existingProperties } from './entities';
import type { EdgesTable, EntitiesTable, GraphDb } from './schema';
import { chunks, groupBy, padList, parseJson } from './sql';

/** The upsert at the heart of POST /entities/bulk and import commits. Run it inside one transaction:
 * entities first (properties merged into existing ones: given keys replace, others stay), then edges,
 * whose endpoints must exist afterwards. Items are read and written in chunks of CHUNK: one SELECT of
 * what exists, then one multi-row INSERT … ON CONFLICT DO UPDATE per chunk. */

/** Items per statement: 512 rows × 10 values stays far below both stores' bound-parameter limits. */
const CHUNK = 512;

export interface ApplyCounts {
  created: number;
  updated: number;
  edges_created: number;
  edges_updated: number;
}

export const emptyCounts = (): ApplyCounts => ({
  created: 0,
  updated: 0,
  edges_created: 0,
  edges_updated: 0,
});

export function addCounts(a: ApplyCounts, b: ApplyCounts): ApplyCounts {
  return {
    created: a.created + b.created,
    updated: a.updated + b.updated,
    edges_created: a.edges_created + b.edges_created,
    edges_updated: a.edges_updated + b.edges_updated,
  };
}

export interface LocatedEdge {
  edge: PreparedEdge;
  loc: (string | number)[];
}

/** One multi-row upsert: INSERT … ON CONFLICT (key) DO UPDATE SET the `update` columns from EXCLUDED.
 * On PostgreSQL the rows travel as one JSON parameter read by json_to_recordset(), so PostgreSQL parses
 * and plans a short statement instead of one with 5,000 placeholders (ADR 0026); SQLite binds the rows
 * as a VALUES list built by Kysely. */
interface UpsertShape<T> {
  table: 'kg_entities' | 'kg_edges';
  columns: readonly (keyof T & string)[];
  /** PostgreSQL type of each column, in `columns` order. */
  pgTypes: readonly string[];
  key: readonly (keyof T & string)[];
  update: readonly (keyof T & string)[];
}

const ENTITY_UPSERT: UpsertShape<Insertable<EntitiesTable>> = {
  table: 'kg_entities',
  columns: ENTITY_TABLE_COLUMNS,
  pgTypes: ['text', 'text', 'text', 'text', 'float8', 'float8', 'text', 'text'],
  key: ['tenant_id', 'label', 'entity_id'],
  update: ['properties', 'latitude', 'longitude', 'updated_at'],
};

const EDGE_UPSERT: UpsertShape<Insertable<EdgesTable>> = {
  table: 'kg_edges',
  columns: EDGE_TABLE_COLUMNS,
  pgTypes: EDGE_TABLE_COLUMNS.map(() => 'text'),
  key: ['tenant_id', 'from_label', 'from_id', 'rel_type', 'to_label', 'to_id'],
  update: ['properties', 'updated_at'],
};

async function upsertRows<T extends object>(
  tx: GraphDb,
  shape: UpsertShape<T>,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  if (tx.dialect === 'sqlite') {
    // Kysely's builder: a raw VALUES template of 5,000 values costs more to build and check (measured).
    await tx.db
      .insertInto(shape.table as 'kg_edges')
      .values(rows as never)
      .onConflict((oc) =>
        oc
          .columns(shape.key as never)
          .doUpdateSet((eb) =>
            Object.fromEntries(shape.update.map((c) => [c, eb.ref(`excluded.${c}` as never)])),
          ),
      )
      .execute();
    return;
  }
  const ids = (names: readonly string[]) => sql.join(names.map((n) => sql.ref(n)));
  const set = sql.join(shape.update.map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`));
  const values =
    tx.dialect === 'postgres'
      ? sql`SELECT * FROM json_to_recordset(CAST(${JSON.stringify(
          rows.map((r) =>
            Object.fromEntries(shape.columns.map((c) => [c, (r as Record<string, unknown>)[c] ?? null])),
          ),
        )} AS json)) AS x(${sql.join(shape.columns.map((c, k) => sql`${sql.ref(c)} ${sql.raw(shape.pgTypes[k])}`))})`
      : sql`VALUES ${sql.join(
          rows.map(
            (r) => sql`(${sql.join(shape.columns.map((c) => (r as Record<string, unknown>)[c] ?? null))})`,
          ),
        )}`;
  await sql`INSERT INTO ${sql.table(shape.table)} (${ids(shape.columns)}) ${values}
ON CONFLICT (${ids(shape.key)}) DO UPDATE SET ${set}`.execute(tx.db);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export async function upsertEntities(
  tx: GraphDb,
  tenant: string,
  entities: readonly PreparedEntity[],
  now: string,
): Promise<Pick<ApplyCounts, 'created' | 'updated'>> {
  let created = 0;
  let updated = 0;
  for (const [label, list] of groupBy(entities, (e) => e.label)) {
    for (const part of chunks(list, CHUNK)) {
      const existing = await existingProperties(
        tx,
        tenant,
        label,
        part.map((e) => e.entityId),
      );
      // An id given twice in one chunk is merged in order, as if upserted one after the other.
      const rows = new Map<string, Insertable<EntitiesTable>>();
      for (const e of part) {
        const before = existing.get(e.entityId);
        const properties = before ? { ...before, ...e.properties } : e.properties;
        rows.set(e.entityId, {
          tenant_id: tenant,
          label: e.label,
          entity_id: e.entityId,
          properties: JSON.stringify(properties),
          latitude: num(properties.latitude),
          longitude: num(properties.longitude),
          created_at: now,
          updated_at: now,
        });
        if (before) updated += 1;
        else created += 1;
        existing.set(e.entityId, properties);
      }
      await upsertRows(tx, ENTITY_UPSERT, [...rows.values()]);
    }
  }
  return { created, updated };
}

/** Keys (label+id) among `keys` that do not exist in the store. */
export async function missingEntities(
  tx: GraphDb,
  tenant: string,
  keys: readonly { label: string; id: string }[],
): Promise<Set<string>> {
  const byLabel = new Map<string, Set<string>>();
  for (const k of keys) byLabel.set(k.label, (byLabel.get(k.label) ?? new Set()).add(k.id));
  const missing = new Set<string>();
  for (const [label, ids] of byLabel) {
    const found = await existingIds(tx, tenant, label, [...ids]);
    for (const id of ids) if (!found.has(id)) missing.add(entityKey(label, id));
  }
  return missing;
}

/** Issues for edges whose endpoints are in `missing`. */
export function endpointIssues(
  edges: readonly LocatedEdge[],
  missing: ReadonlySet<string>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { edge, loc } of edges) {
    if (missing.has(entityKey(edge.fromLabel, edge.fromId)))
      issues.push({
        loc: [...loc, 'from_id'],
        msg: `${edge.fromLabel} ${edge.fromId} does not exist`,
        type: 'not_found',
      });
    if (missing.has(entityKey(edge.toLabel, edge.toId)))
      issues.push({
        loc: [...loc, 'to_id'],
        msg: `${edge.toLabel} ${edge.toId} does not exist`,
        type: 'not_found',
      });
    if (issues.length >= 100) break;
  }
  return issues;
}

export async function upsertEdges(
  tx: GraphDb,
  tenant: string,
  edges: readonly LocatedEdge[],
  now: string,
): Promise<Pick<ApplyCounts, 'edges_created' | 'edges_updated'>> {
  const endpoints = edges.flatMap(({ edge }) => [
    { label: edge.fromLabel, id: edge.fromId },
    { label: edge.toLabel, id: edge.toId },
  ]);
  const issues = endpointIssues(edges, await missingEntities(tx, tenant, endpoints));
  if (issues.length > 0) throw new ValidationError(issues);
  let created = 0;
  let updated = 0;
  const key = (fromId: string, rel: string, toLabel: string, toId: string) =>
    [fromId, rel, toLabel, toId].join('\u0000');
  for (const [fromLabel, list] of groupBy(edges, (le) => le.edge.fromLabel)) {
    for (const part of chunks(list, CHUNK)) {
      const ids = [...new Set(part.map((le) => le.edge.fromId))];
      const found = await tx.db
        .selectFrom('kg_edges')
        .select(['from_id', 'rel_type', 'to_label', 'to_id', 'properties'])
        .where((eb) => eb.and({ tenant_id: tenant, from_label: fromLabel }))
        .where('from_id', 'in', padList(ids))
        .execute();
      const existing = new Map(
        found.map((r) => [key(r.from_id, r.rel_type, r.to_label, r.to_id), parseJson(r.properties)]),
      );
      // An edge given twice in one chunk is merged in order, as if upserted one after the other.
      const rows = new Map<string, Insertable<EdgesTable>>();
      for (const { edge: e } of part) {
        const k = key(e.fromId, e.relType, e.toLabel, e.toId);
        const before = existing.get(k);
        const properties = before ? { ...before, ...e.properties } : e.properties;
        const row = newEdgeRow(tenant, e, properties, now);
        rows.set(k, { ...row, edge_id: rows.get(k)?.edge_id ?? row.edge_id });
        if (before) updated += 1;
        else created += 1;
        existing.set(k, properties);
      }
      await upsertRows(tx, EDGE_UPSERT, [...rows.values()]);
    }
  }
  return { edges_created: created, edges_updated: updated };
}

/** Entities then edges, in the caller's transaction. */
export async function applyItems(
  tx: GraphDb,
  tenant: string,
  entities: readonly PreparedEntity[],
  edges: readonly LocatedEdge[],
  now: string,
): Promise<ApplyCounts> {
  const e = await upsertEntities(tx, tenant, entities, now);
  const g = await upsertEdges(tx, tenant, edges, now);
  return { ...e, ...g };
}
