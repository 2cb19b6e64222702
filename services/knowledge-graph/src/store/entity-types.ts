import { ConflictError, NotFoundError, type Selectable, type ValidationIssue } from '@aegis/common';
import { validateProperties, type EntityType, type FieldDefinition } from '../domain/entity-types';
import type { PreparedEntity } from '../domain/items';
import type { EntityTypesTable, GraphDb } from './schema';

type TypeRow = Selectable<EntityTypesTable>;

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

const typesOf = ({ db }: GraphDb, tenant: string) =>
  db.selectFrom('kg_entity_types').selectAll().where('tenant_id', '=', tenant);

export async function listEntityTypes(q: GraphDb, tenant: string): Promise<EntityType[]> {
  return (await typesOf(q, tenant).orderBy('type_key').execute()).map(fromRow);
}

export async function getEntityType(
  q: GraphDb,
  tenant: string,
  key: string,
): Promise<EntityType | undefined> {
  const row = await typesOf(q, tenant).where('type_key', '=', key).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function requireEntityType(db: GraphDb, tenant: string, key: string): Promise<EntityType> {
  const t = await getEntityType(db, tenant, key);
  if (!t) throw new NotFoundError(`Entity type ${key} not found`, 'entity_type_not_found');
  return t;
}

export async function createEntityType(
  db: GraphDb,
  tenant: string,
  input: { key: string; displayName: string; description: string | null; fields: FieldDefinition[] },
  now: string,
): Promise<EntityType> {
  if (await getEntityType(db, tenant, input.key))
    throw new ConflictError(`Entity type ${input.key} already exists`, 'entity_type_exists');
  await db.db
    .insertInto('kg_entity_types')
    .values({
      tenant_id: tenant,
      type_key: input.key,
      display_name: input.displayName,
      description: input.description,
      fields: JSON.stringify(input.fields),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { ...input, createdAt: now, updatedAt: now };
}

export async function saveEntityType(
  { db }: GraphDb,
  tenant: string,
  t: EntityType,
  now: string,
): Promise<EntityType> {
  await db
    .updateTable('kg_entity_types')
    .set({
      display_name: t.displayName,
      description: t.description,
      fields: JSON.stringify(t.fields),
      updated_at: now,
    })
    .where((eb) => eb.and({ tenant_id: tenant, type_key: t.key }))
    .execute();
  return { ...t, updatedAt: now };
}

export async function deleteEntityType({ db }: GraphDb, tenant: string, key: string): Promise<void> {
  const r = await db
    .deleteFrom('kg_entity_types')
    .where((eb) => eb.and({ tenant_id: tenant, type_key: key }))
    .executeTakeFirst();
  if (r.numDeletedRows === 0n)
    throw new NotFoundError(`Entity type ${key} not found`, 'entity_type_not_found');
}

/** Validates entities of managed types (loaded once per call) and returns every issue. */
export async function typeIssues(
  db: GraphDb,
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
