import { enumFilter, listEnvelope, listQuerySchema, toListParams, type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { normaliseEntityId, prepareEdge } from '../domain/items';
import { REL_TYPE_PATTERN } from '../domain/labels';
import { deleteEdge, EDGE_SORTABLE, insertEdge, listEdgesOf } from '../store/edges';
import { requireEntity } from '../store/entities';
import { nowIso, type RouteDeps } from './context';
import { edgeInput, edgeListSchema, edgeSchema, entityPath } from './schemas';

const listOptions = { sortable: EDGE_SORTABLE, defaultSort: 'created_at' } as const;
const edgeQuery = listQuerySchema(listOptions).extend({
  direction: enumFilter(['out', 'in', 'both']).default('both'),
  rel_type: z.string().regex(REL_TYPE_PATTERN, { message: 'must be UPPER_SNAKE_CASE' }).optional(),
});

export function edgeRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['edges'] });
  routes.route({
    method: 'post',
    path: '/edges',
    summary: 'Create an edge between existing entities (operator); 409 if it exists',
    roles: ['operator'],
    body: edgeInput,
    responses: { 201: edgeSchema },
    errors: [409],
    handler: (_ctx, { body, tenant }) => {
      const edge = prepareEdge(body);
      return deps.store.transaction((tx) => insertEdge(tx, tenant, edge, nowIso(deps)));
    },
  });

  routes.route({
    method: 'get',
    path: '/edges/{label}/{entity_id}',
    summary: 'Edges of an entity, filtered by direction and relationship type',
    roles: ['viewer'],
    params: entityPath,
    query: edgeQuery,
    responses: { 200: edgeListSchema },
    errors: [404],
    handler: async (_ctx, { params: { label, entity_id }, query, tenant }) => {
      const id = normaliseEntityId(label, entity_id);
      const params = toListParams(query, listOptions);
      await requireEntity(deps.store, tenant, label, id);
      const { rows, total } = await listEdgesOf(
        deps.store,
        tenant,
        label,
        id,
        { direction: query.direction, relType: query.rel_type },
        params,
      );
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'delete',
    path: '/edges/{edge_id}',
    summary: 'Delete an edge (operator)',
    roles: ['operator'],
    params: z.object({ edge_id: z.string().min(1).max(200) }),
    responses: { 204: null },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => {
      await deps.store.transaction((tx) => deleteEdge(tx, tenant, params.edge_id));
    },
  });
}
