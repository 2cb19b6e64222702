import {
  listEnvelope,
  listQuerySchema,
  toListParams,
  ValidationError,
  type ServiceApi,
  type ValidationIssue,
} from '@aegis/common';
import { z } from 'zod';
import { mergeProduction, productionBodySchema } from '@aegis/graph-client';
import { normaliseEntityId, prepareEntity } from '../domain/items';
import { PROPERTY_NAME_PATTERN } from '../domain/labels';
import { applyItems } from '../store/apply';
import { newEntityId, prepareBatch } from '../store/batch';
import {
  deleteEntity,
  ENTITY_SORTABLE,
  insertEntity,
  listEntities,
  replaceEntity,
  requireEntity,
} from '../store/entities';
import { typeIssues } from '../store/entity-types';
import { LIST_KEYS, nowIso, type RouteDeps } from './context';
import {
  batchInput,
  countsSchema,
  entityInput,
  entityListSchema,
  entityPath,
  entitySchema,
  labelParam,
  wellPath,
} from './schemas';

const putSchema = z.strictObject({ properties: z.record(z.string(), z.unknown()) });
const productionAnswer = z.object({
  well: entitySchema,
  production: z.array(z.looseObject({ period: z.string() })),
  periods_written: z.number().int(),
});
const listOptions = { sortable: ENTITY_SORTABLE, defaultSort: 'entity_id' } as const;

async function checkTypes(
  deps: RouteDeps,
  tenant: string,
  entity: Parameters<typeof typeIssues>[2][number]['entity'],
) {
  const issues: ValidationIssue[] = await typeIssues(deps.store, tenant, [{ entity, loc: ['body'] }]);
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Entities: create, bulk upsert, list with property filters, read, replace, delete, production. */
export function entityRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['entities'] });
  routes.route({
    method: 'post',
    path: '/entities',
    summary: 'Create an entity (operator); 409 if it exists',
    roles: ['operator'],
    body: entityInput,
    responses: { 201: entitySchema },
    errors: [409],
    handler: async (ctx, { body, tenant }) => {
      const prepared = prepareEntity(body, ['body'], { generateId: newEntityId });
      if (!prepared.ok) throw new ValidationError(prepared.issues);
      await checkTypes(deps, tenant, prepared.value);
      const created = await deps.store.transaction((tx) =>
        insertEntity(tx, tenant, prepared.value, nowIso(deps)),
      );
      ctx.set('Location', `/entities/${created.label}/${encodeURIComponent(created.entity_id)}`);
      return created;
    },
  });

  routes.route({
    method: 'post',
    path: '/entities/bulk',
    summary:
      'Upsert entities and edges in one transaction (operator); 422 names ["body","entities",i,…] and writes nothing',
    roles: ['operator'],
    body: batchInput,
    responses: { 200: countsSchema },
    handler: async (_ctx, { body, tenant }) => {
      const batch = await prepareBatch(deps.store, tenant, body);
      const now = nowIso(deps);
      return deps.store.transaction((tx) =>
        applyItems(
          tx,
          tenant,
          batch.entities.map((e) => e.entity),
          batch.edges,
          now,
        ),
      );
    },
  });

  routes.route({
    method: 'get',
    path: '/entities/{label}',
    summary: 'List entities of a label',
    description:
      'Any query parameter that is not a list control filters on a property of that name (text equality).',
    roles: ['viewer'],
    params: z.object({ label: labelParam }),
    // Other parameters are property filters, checked by the handler.
    query: listQuerySchema(listOptions).catchall(z.string()),
    responses: { 200: entityListSchema },
    handler: async (ctx, { params: { label }, query, tenant }) => {
      const params = toListParams(query, listOptions);
      const filters: Record<string, string> = {};
      const issues: ValidationIssue[] = [];
      for (const [key, value] of Object.entries(ctx.query)) {
        if (LIST_KEYS.has(key)) continue;
        if (!PROPERTY_NAME_PATTERN.test(key))
          issues.push({ loc: ['query', key], msg: 'not a property name', type: 'value_error' });
        else if (typeof value !== 'string')
          issues.push({ loc: ['query', key], msg: 'give a filter once', type: 'value_error' });
        else filters[key] = key === 'api_number' ? normaliseEntityId(label, value) : value;
      }
      if (issues.length > 0) throw new ValidationError(issues);
      const { rows, total } = await listEntities(deps.store, tenant, label, filters, params);
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'get',
    path: '/entities/{label}/{entity_id}',
    summary: 'Read an entity',
    roles: ['viewer'],
    params: entityPath,
    responses: { 200: entitySchema },
    errors: [404],
    handler: (_ctx, { params: { label, entity_id }, tenant }) =>
      requireEntity(deps.store, tenant, label, normaliseEntityId(label, entity_id)),
  });

  routes.route({
    method: 'put',
    path: '/entities/{label}/{entity_id}',
    summary: 'Replace the properties of an entity (operator)',
    roles: ['operator'],
    params: entityPath,
    body: putSchema,
    responses: { 200: entitySchema },
    errors: [404],
    handler: async (_ctx, { params, body, tenant }) => {
      const { label } = params;
      const id = normaliseEntityId(label, params.entity_id);
      const prepared = prepareEntity({ label, entity_id: id, properties: body.properties }, ['body']);
      if (!prepared.ok) throw new ValidationError(prepared.issues);
      await checkTypes(deps, tenant, prepared.value);
      return deps.store.transaction((tx) => replaceEntity(tx, tenant, prepared.value, nowIso(deps)));
    },
  });

  routes.route({
    method: 'delete',
    path: '/entities/{label}/{entity_id}',
    summary: 'Delete an entity and its edges (operator)',
    roles: ['operator'],
    params: entityPath,
    responses: { 204: null },
    errors: [404],
    handler: async (_ctx, { params: { label, entity_id }, tenant }) => {
      const id = normaliseEntityId(label, entity_id);
      await deps.store.transaction((tx) => deleteEntity(tx, tenant, label, id));
    },
  });

  routes.route({
    method: 'put',
    path: '/entities/Well/{entity_id}/production',
    summary: 'Write monthly production records (merged by period) on a well (operator)',
    roles: ['operator'],
    params: wellPath,
    body: productionBodySchema,
    responses: { 200: productionAnswer },
    errors: [404],
    handler: async (_ctx, { params, body, tenant }) => {
      const id = normaliseEntityId('Well', params.entity_id);
      return deps.store.transaction(async (tx) => {
        const well = await requireEntity(tx, tenant, 'Well', id);
        const production = mergeProduction(well.properties.production, body.records);
        const prepared = prepareEntity(
          { label: 'Well', entity_id: id, properties: { ...well.properties, production } },
          ['body'],
        );
        if (!prepared.ok) throw new ValidationError(prepared.issues);
        const saved = await replaceEntity(tx, tenant, prepared.value, nowIso(deps));
        return { well: saved, production, periods_written: body.records.length };
      });
    },
  });
}
