import { ConflictError, NotFoundError, type Queryable, type ValidationIssue } from '@aegis/common';
import { validateProperties, type EntityType, type FieldDefinition } from '../domain/entity-types';
import type { PreparedEntity } from '../domain/items';

interface TypeRow {
  type_key: string;
  display_name: string;
  description: string | null;
  fields: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: TypeRow): EntityType {
  return {
    key: r.type_key,
    displayName: r.display_name,
    description: r.description,
    fields: JSON.parse(r.fields) as FieldDefinition[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function entityTypeView(t: EntityType) {
  return {
    key: t.key,
    display_name: t.displayName,
    description: t.description,
    fields: t.fields,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

export async function listEntityTypes(db: Queryable, tenant: string): Promise<EntityType[]> {
  const rows = await db.all<TypeRow>('SELECT * FROM kg_entity_types WHERE tenant_id = ? ORDER BY type_key', [
    tenant,
  ]);
  return rows.map(fromRow);
}

export async function getEntityType(
  db: Queryable,
  tenant: string,
  key: string,
): Promise<EntityType | undefined> {
  const row = await db.get<TypeRow>('SELECT * FROM kg_entity_types WHERE tenant_id = ? AND type_key = ?', [
    tenant,
    key,
  ]);
  return row ? fromRow(row) : undefined;
}

export async function requireEntityType(db: Queryable, tenant: string, key: string): Promise<EntityType> {
  const t = await getEntityType(db, tenant, key);
  if (!t) throw new NotFoundError(`Entity type ${key} not found`, 'entity_type_not_found');
  return t;
}

export async function createEntityType(
  db: Queryable,
  tenant: string,
  input: { key: string; displayName: string; description: string | null; fields: FieldDefinition[] },
  now: string,
): Promise<EntityType> {
  if (await getEntityType(db, tenant, input.key))
    throw new ConflictError(`Entity type ${input.key} already exists`, 'entity_type_exists');
  await db.run(
    'INSERT INTO kg_entity_types (tenant_id, type_key, display_name, description, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [tenant, input.key, input.displayName, input.description, JSON.stringify(input.fields), now, now],
  );
  return { ...input, createdAt: now, updatedAt: now };
}

export async function saveEntityType(
  db: Queryable,
  tenant: string,
  t: EntityType,
  now: string,
): Promise<EntityType> {
  await db.run(
    'UPDATE kg_entity_types SET display_name = ?, description = ?, fields = ?, updated_at = ? WHERE tenant_id = ? AND type_key = ?',
    [t.displayName, t.description, JSON.stringify(t.fields), now, tenant, t.key],
  );
  return { ...t, updatedAt: now };
}

export async function deleteEntityType(db: Queryable, tenant: string, key: string): Promise<void> {
  const r = await db.run('DELETE FROM kg_entity_types WHERE tenant_id = ? AND type_key = ?', [tenant, key]);
  if (r.changes === 0) throw new NotFoundError(`Entity type ${key} not found`, 'entity_type_not_found');
}

/** Validates entities of managed types (loaded once per call) and returns every issue. */
export async function typeIssues(
  db: Queryable,
  tenant: string,
  items: readonly { entity: PreparedEntity; loc: (string | number)[] }[],
): Promise<ValidationIssue[]> {
  if (items.length === 0) return [];
  const types = new Map((await listEntityTypes(db, tenant)).map((t) => [t.key, t]));
  if (types.size === 0) return [];
  const issues: ValidationIssue[] = [];
  for (const { entity, loc } of items) {
    const t = types.get(entity.label);
    if (t) issues.push(...validateProperties(t.fields, entity.properties, [...loc, 'properties']));
    if (issues.length >= 100) break;
  }
  return issues;
}
