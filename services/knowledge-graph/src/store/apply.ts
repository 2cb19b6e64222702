import { randomUUID } from 'node:crypto';
import { ValidationError, type Queryable, type ValidationIssue } from '@aegis/common';
import { entityKey, type PreparedEdge, type PreparedEntity } from '../domain/items';
import { existingProperties } from './entities';
import { chunks, inList, parseJson } from './sql';

/** The upsert at the heart of POST /entities/bulk and import commits. Run it inside one transaction:
 * entities first (properties merged into existing ones: given keys replace, others stay), then edges,
 * whose endpoints must exist afterwards. */

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

const ENTITY_UPSERT = `INSERT INTO kg_entities (tenant_id, label, entity_id, properties, latitude, longitude, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (tenant_id, label, entity_id) DO UPDATE SET properties = excluded.properties,
  latitude = excluded.latitude, longitude = excluded.longitude, updated_at = excluded.updated_at`;

const EDGE_UPSERT = `INSERT INTO kg_edges (edge_id, tenant_id, from_label, from_id, rel_type, to_label, to_id, properties, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (tenant_id, from_label, from_id, rel_type, to_label, to_id) DO UPDATE SET properties = excluded.properties,
  updated_at = excluded.updated_at`;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export async function upsertEntities(
  tx: Queryable,
  tenant: string,
  entities: readonly PreparedEntity[],
  now: string,
): Promise<Pick<ApplyCounts, 'created' | 'updated'>> {
  let created = 0;
  let updated = 0;
  const byLabel = new Map<string, PreparedEntity[]>();
  for (const e of entities) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  for (const [label, list] of byLabel) {
    for (const part of chunks(list, 512)) {
      const existing = await existingProperties(
        tx,
        tenant,
        label,
        part.map((e) => e.entityId),
      );
      for (const e of part) {
        const before = existing.get(e.entityId);
        const properties = before ? { ...before, ...e.properties } : e.properties;
        await tx.run(ENTITY_UPSERT, [
          tenant,
          e.label,
          e.entityId,
          JSON.stringify(properties),
          num(properties.latitude),
          num(properties.longitude),
          now,
          now,
        ]);
        if (before) updated += 1;
        else created += 1;
        existing.set(e.entityId, properties);
      }
    }
  }
  return { created, updated };
}

/** Keys (label+id) among `keys` that do not exist in the store. */
export async function missingEntities(
  tx: Queryable,
  tenant: string,
  keys: readonly { label: string; id: string }[],
): Promise<Set<string>> {
  const byLabel = new Map<string, Set<string>>();
  for (const k of keys) byLabel.set(k.label, (byLabel.get(k.label) ?? new Set()).add(k.id));
  const missing = new Set<string>();
  for (const [label, ids] of byLabel) {
    const found = await existingProperties(tx, tenant, label, [...ids]);
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
  tx: Queryable,
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
  const byFrom = new Map<string, LocatedEdge[]>();
  for (const le of edges) byFrom.set(le.edge.fromLabel, [...(byFrom.get(le.edge.fromLabel) ?? []), le]);
  for (const [fromLabel, list] of byFrom) {
    for (const part of chunks(list, 512)) {
      const ids = [...new Set(part.map((le) => le.edge.fromId))];
      const inIds = inList(ids);
      const rows = await tx.all<{
        from_id: string;
        rel_type: string;
        to_label: string;
        to_id: string;
        properties: string;
      }>(
        `SELECT from_id, rel_type, to_label, to_id, properties FROM kg_edges WHERE tenant_id = ? AND from_label = ? AND from_id IN (${inIds.sql})`,
        [tenant, fromLabel, ...inIds.params],
      );
      const key = (fromId: string, rel: string, toLabel: string, toId: string) =>
        [fromId, rel, toLabel, toId].join('\u0000');
      const existing = new Map(
        rows.map((r) => [key(r.from_id, r.rel_type, r.to_label, r.to_id), parseJson(r.properties)]),
      );
      for (const { edge: e } of part) {
        const k = key(e.fromId, e.relType, e.toLabel, e.toId);
        const before = existing.get(k);
        const properties = before ? { ...before, ...e.properties } : e.properties;
        await tx.run(EDGE_UPSERT, [
          randomUUID(),
          tenant,
          e.fromLabel,
          e.fromId,
          e.relType,
          e.toLabel,
          e.toId,
          JSON.stringify(properties),
          now,
          now,
        ]);
        if (before) updated += 1;
        else created += 1;
        existing.set(k, properties);
      }
    }
  }
  return { edges_created: created, edges_updated: updated };
}

/** Entities then edges, in the caller's transaction. */
export async function applyItems(
  tx: Queryable,
  tenant: string,
  entities: readonly PreparedEntity[],
  edges: readonly LocatedEdge[],
  now: string,
): Promise<ApplyCounts> {
  const e = await upsertEntities(tx, tenant, entities, now);
  const g = await upsertEdges(tx, tenant, edges, now);
  return { ...e, ...g };
}
