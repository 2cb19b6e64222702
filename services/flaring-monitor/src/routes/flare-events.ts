import {
  isoDateTime,
  ValidationError,
  listEnvelope,
  listEnvelopeSchema,
  listQuerySchema,
  toListParams,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import {
  correlateFlareEvent,
  createFlareEvent,
  patchFlareEvent,
  removeFlareEvent,
  utc,
} from '../flaring/flare-events';
import { normaliseWellId } from '../flaring/assets';
import { FLARE_EVENT_SORTABLE, getFlareEvent, listFlareEvents } from '../store/flare-events';
import { graphCaller, WRITE_ROLES, type RouteDeps } from './context';
import {
  authorizationIdInput,
  correlateInput,
  disposition,
  eventIdParam,
  flareEventInput,
  flareEventPatch,
  flareEventSchema,
  status,
  wellIdInput,
} from './schemas';

const listOptions = {
  sortable: FLARE_EVENT_SORTABLE,
  defaultSort: 'start_time',
  defaultDir: 'desc',
} as const;
const listQuery = listQuerySchema(listOptions).extend({
  well_id: wellIdInput.optional(),
  authorization_id: authorizationIdInput.optional(),
  status: status.optional(),
  disposition: disposition.optional(),
  from: isoDateTime().optional(),
  to: isoDateTime().optional(),
});

/** GET/POST /flare-events, GET/PATCH/DELETE /flare-events/{id}, POST /flare-events/{id}/correlate. */
export function flareEventRoutes(api: ServiceApi, deps: RouteDeps): void {
  const routes = api.group({ tags: ['flare-events'] });

  routes.route({
    method: 'post',
    path: '/flare-events',
    summary: 'Record a flare event',
    description:
      'The well must exist in the knowledge graph (422 naming `well_id`). Without `authorization_id`, the authorisation that AUTHORIZES the well (or its lease) and covers `start_time` is linked; none → null (assessed as unauthorised). A known `source_reading_id` answers 200 with the stored event when the content is the same, 409 `reading_conflict` when it differs.',
    roles: WRITE_ROLES,
    body: flareEventInput,
    responses: { 200: flareEventSchema, 201: flareEventSchema },
    errors: [409],
    handler: async (ctx, { body, tenant, identity }) => {
      const out = await createFlareEvent(deps, graphCaller(ctx, tenant), tenant, identity.userId, body);
      ctx.status = out.created ? 201 : 200;
      return out.event;
    },
  });

  routes.route({
    method: 'get',
    path: '/flare-events',
    summary: 'List flare events',
    description:
      'Filters (AND): `well_id`, `authorization_id`, `status`, `disposition`, and `from`/`to` (events overlapping the period). Newest first by default.',
    roles: 'any',
    query: listQuery,
    responses: { 200: listEnvelopeSchema(flareEventSchema) },
    handler: async (_ctx, { query, tenant }) => {
      const params = toListParams(query, listOptions);
      if (query.from && query.to && utc(query.to) < utc(query.from))
        throw ValidationError.single(['query', 'to'], 'must not be before from', 'end_before_start');
      const { rows, total } = await listFlareEvents(
        deps.store,
        tenant,
        {
          well_id: query.well_id ? normaliseWellId(query.well_id, ['query', 'well_id']) : undefined,
          authorization_id: query.authorization_id,
          status: query.status,
          disposition: query.disposition,
          from: query.from ? utc(query.from) : undefined,
          to: query.to ? utc(query.to) : undefined,
        },
        params,
      );
      return listEnvelope(rows, total, params);
    },
  });

  routes.route({
    method: 'get',
    path: '/flare-events/{id}',
    summary: 'Read a flare event',
    roles: 'any',
    params: eventIdParam,
    responses: { 200: flareEventSchema },
    errors: [404],
    handler: async (_ctx, { params, tenant }) => getFlareEvent(deps.store, tenant, params.id),
  });

  routes.route({
    method: 'patch',
    path: '/flare-events/{id}',
    summary: 'Change a flare event',
    description:
      'The same checks as on creation apply to the result. Moving the well or start time without naming an authorisation links the covering one again.',
    roles: WRITE_ROLES,
    params: eventIdParam,
    body: flareEventPatch,
    responses: { 200: flareEventSchema },
    errors: [404],
    handler: async (ctx, { params, body, tenant }) =>
      patchFlareEvent(deps, graphCaller(ctx, tenant), tenant, params.id, body),
  });

  routes.route({
    method: 'delete',
    path: '/flare-events/{id}',
    summary: 'Delete a flare event',
    roles: WRITE_ROLES,
    params: eventIdParam,
    responses: { 204: z.undefined() },
    errors: [404],
    handler: async (ctx, { params, tenant }) => {
      await removeFlareEvent(deps, tenant, params.id);
      ctx.status = 204;
    },
  });

  routes.route({
    method: 'post',
    path: '/flare-events/{id}/correlate',
    summary: 'Correlate a flare event with other events or entities',
    description:
      'Targets: other flare events (must exist), operational events, or knowledge-graph entities (`label` + `id`, must exist). A target already linked is not added again.',
    roles: WRITE_ROLES,
    params: eventIdParam,
    body: correlateInput,
    responses: { 200: flareEventSchema },
    errors: [404],
    handler: async (ctx, { params, body, tenant, identity }) =>
      correlateFlareEvent(deps, graphCaller(ctx, tenant), tenant, identity.userId, params.id, body),
  });
}
