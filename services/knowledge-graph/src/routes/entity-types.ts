import {
  ConflictError,
  listEnvelope,
  listEnvelopeSchema,
  listInMemory,
  listQuerySchema,
  NotFoundError,
  toListParams,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import {
  entityTypeCreateSchema,
  entityTypePatchSchema,
  fieldDefinitionSchema,
  type EntityType,
} from '../domain/entity-types';
import { PROPERTY_NAME_PATTERN } from '../domain/labels';
import {
  createEntityType,
  deleteEntityType,
  entityTypeView,
  listEntityTypes,
  requireEntityType,
  saveEntityType,
} from '../store/entity-types';
import { nowIso, type RouteDeps } from './context';
import { entityTypeSchema, fieldDefinitionView } from './schemas';

const typeOptions = { sortable: ['key', 'created_at', 'updated_at'] as const, defaultSort: 'key' } as const;
const fieldOptions = { sortable: ['name'] as const, defaultSort: 'name', maxPageSize: 200 } as const;
/** An entity type's key names an entity label: a well-formed key that is not a managed type is a 404. */
const keyPath = z.object({ key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/) });
const fieldPath = keyPath.extend({ name: z.string().regex(PROPERTY_NAME_PATTERN) });

/** Managed entity types and their field definitions (admins write, viewers read). */
export function entityTypeRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['entity types'] });
  /** Reads a type, changes it and saves it in one transaction (404 when the type does not exist). */
  const changeType = (tenant: string, key: string, change: (t: EntityType) => EntityType) =>
    deps.store.transaction(async (tx) =>
      saveEntityType(tx, tenant, change(await requireEntityType(tx, tenant, key)), nowIso(deps)),
    );
  const fieldIndex = (t: EntityType, name: string) => {
    const i = t.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new NotFoundError(`Field ${name} not found`, 'field_not_found');
    return i;
  };
  const refuseTaken = (t: EntityType, name: string) => {
    if (t.fields.some((f) => f.name === name))
      throw new ConflictError(`Field ${name} already exists`, 'field_exists');
  };
  routes.route({
    method: 'get',
    path: '/entity-types',
    summary: 'Managed entity types',
    roles: ['viewer'],
    query: listQuerySchema(typeOptions),
    responses: { 200: listEnvelopeSchema(entityTypeSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, typeOptions);
      return listInMemory((await listEntityTypes(deps.store, tenant)).map(entityTypeView), params);
    },
  });

  routes.route({
    method: 'post',
    path: '/entity-types',
    summary: 'Create a managed type for a label (admin)',
    roles: ['admin'],
    body: entityTypeCreateSchema,
    responses: { 201: entityTypeSchema },
    errors: [409],
    handler: async (ctx, { body, tenant }) => {
      const created = await deps.store.transaction((tx) =>
        createEntityType(
          tx,
          tenant,
          {
            key: body.key,
            displayName: body.display_name ?? body.key,
            description: body.description ?? null,
            fields: body.fields,
          },
          nowIso(deps),
        ),
      );
      ctx.set('Location', `/entity-types/${created.key}`);
      return entityTypeView(created);
    },
  });

  routes.route({
    method: 'get',
    path: '/entity-types/{key}',
    summary: 'Read a type',
    roles: ['viewer'],
    params: keyPath,
    responses: { 200: entityTypeSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) =>
      entityTypeView(await requireEntityType(deps.store, tenant, params.key)),
  });

  routes.route({
    method: 'patch',
    path: '/entity-types/{key}',
    summary: 'Change display name, description or the whole field list (admin)',
    roles: ['admin'],
    params: keyPath,
    body: entityTypePatchSchema,
    responses: { 200: entityTypeSchema },
    errors: [404],
    handler: async (_ctx, { params, body, tenant }) =>
      entityTypeView(
        await changeType(tenant, params.key, (t) => ({
          ...t,
          displayName: body.display_name ?? t.displayName,
          description: body.description ?? t.description,
          fields: body.fields ?? t.fields,
        })),
      ),
  });

  routes.route({
    method: 'delete',
    path: '/entity-types/{key}',
    summary: 'Delete a type (admin)',
    roles: ['admin'],
    params: keyPath,
    responses: { 204: null },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      await deps.store.transaction((tx) => deleteEntityType(tx, tenant, params.key));
    },
  });

  routes.route({
    method: 'get',
    path: '/entity-types/{key}/fields',
    summary: 'Field definitions of a type',
    roles: ['viewer'],
    params: keyPath,
    query: listQuerySchema(fieldOptions),
    responses: { 200: listEnvelopeSchema(fieldDefinitionView) },
    errors: [404],
    handler: async (_ctx, { params: { key }, query, tenant }) => {
      const params = toListParams(query, fieldOptions);
      const t = await requireEntityType(deps.store, tenant, key);
      const fields = [...t.fields].sort(
        (a, b) => (a.name < b.name ? -1 : 1) * (params.sortDir === 'desc' ? -1 : 1),
      );
      return listEnvelope(fields.slice(params.offset, params.offset + params.limit), fields.length, params);
    },
  });

  routes.route({
    method: 'post',
    path: '/entity-types/{key}/fields',
    summary: 'Add a field definition (admin)',
    roles: ['admin'],
    params: keyPath,
    body: fieldDefinitionSchema,
    responses: { 201: fieldDefinitionView },
    errors: [404, 409],
    handler: async (_ctx, { params, body: field, tenant }) => {
      await changeType(tenant, params.key, (t) => {
        refuseTaken(t, field.name);
        return { ...t, fields: [...t.fields, field] };
      });
      return field;
    },
  });

  routes.route({
    method: 'put',
    path: '/entity-types/{key}/fields/{name}',
    summary: 'Replace a field definition (admin)',
    roles: ['admin'],
    params: fieldPath,
    body: fieldDefinitionSchema,
    responses: { 200: fieldDefinitionView },
    errors: [404, 409],
    handler: async (_ctx, { params, body: field, tenant }) => {
      await changeType(tenant, params.key, (t) => {
        const i = fieldIndex(t, params.name);
        if (field.name !== params.name) refuseTaken(t, field.name);
        return { ...t, fields: t.fields.map((f, j) => (j === i ? field : f)) };
      });
      return field;
    },
  });

  routes.route({
    method: 'delete',
    path: '/entity-types/{key}/fields/{name}',
    summary: 'Remove a field definition (admin)',
    roles: ['admin'],
    params: fieldPath,
    responses: { 204: null },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      await changeType(tenant, params.key, (t) => {
        fieldIndex(t, params.name);
        return { ...t, fields: t.fields.filter((f) => f.name !== params.name) };
      });
    },
  });
}
