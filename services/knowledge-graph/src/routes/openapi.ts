import type { Router } from '@koa/router';
import { MAX_DEPTH } from '../domain/labels';
import { TEMPLATE_IDS } from '../store/templates';
import {
  batch,
  counts,
  errors,
  json,
  label,
  list,
  listParams,
  ok,
  op,
  path,
  query,
  ref,
  SCHEMAS,
  walkParams,
} from './openapi-parts';
import { OPENAPI_SECURITY_SCHEMES } from '@aegis/common';

/** OpenAPI 3.1 description of the knowledge-graph service (service paths; clients prefix /api/v1). */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'AEGIS knowledge-graph service', version: '1.0.0' },
  servers: [{ url: 'http://localhost:8000/api/v1', description: 'through the gateway' }],
  components: {
    securitySchemes: OPENAPI_SECURITY_SCHEMES,
    schemas: SCHEMAS,
  },
  paths: {
    '/entities': {
      post: op(
        'Create an entity (operator); 409 if it exists',
        { ...ok(ref('Entity'), '201'), ...errors(401, 403, 409, 422) },
        { requestBody: json(ref('EntityInput')) },
      ),
    },
    '/entities/bulk': {
      post: op(
        'Upsert entities and edges in one transaction (operator); 422 names ["body","entities",i,…] and writes nothing',
        { ...ok(counts), ...errors(401, 403, 422) },
        { requestBody: json(batch) },
      ),
    },
    '/entities/{label}': {
      get: op(
        'List entities of a label; any other query parameter filters on a property (text equality); sort_by entity_id|created_at|updated_at',
        { ...ok(list('Entity')), ...errors(401, 403, 422) },
        {
          parameters: [
            label,
            ...listParams,
            query('sort_by', { enum: ['entity_id', 'created_at', 'updated_at'] }),
          ],
        },
      ),
    },
    '/entities/{label}/{entity_id}': {
      get: op(
        'Read an entity',
        { ...ok(ref('Entity')), ...errors(401, 404) },
        { parameters: [label, path('entity_id')] },
      ),
      put: op(
        'Replace the properties of an entity (operator)',
        { ...ok(ref('Entity')), ...errors(401, 403, 404, 422) },
        {
          parameters: [label, path('entity_id')],
          requestBody: json({ type: 'object', properties: { properties: { type: 'object' } } }),
        },
      ),
      delete: op(
        'Delete an entity and its edges (operator)',
        { '204': { description: 'Deleted' }, ...errors(401, 403, 404) },
        { parameters: [label, path('entity_id')] },
      ),
    },
    '/entities/Well/{entity_id}/production': {
      put: op(
        'Write monthly production records (merged by period) on a well (operator)',
        { ...ok({ type: 'object' }), ...errors(401, 403, 404, 422) },
        {
          parameters: [path('entity_id')],
          requestBody: json({
            type: 'object',
            properties: {
              records: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { period: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
                },
              },
            },
          }),
        },
      ),
    },
    '/edges': {
      post: op(
        'Create an edge between existing entities (operator); 409 if it exists',
        { ...ok(ref('Edge'), '201'), ...errors(401, 403, 409, 422) },
        { requestBody: json(ref('EdgeInput')) },
      ),
    },
    '/edges/{label}/{entity_id}': {
      get: op(
        'Edges of an entity; direction out|in|both, rel_type; sort_by created_at|updated_at|rel_type',
        { ...ok(list('Edge')), ...errors(401, 404, 422) },
        {
          parameters: [
            label,
            path('entity_id'),
            query('direction', { enum: ['out', 'in', 'both'] }),
            query('rel_type', { type: 'string' }),
            ...listParams,
          ],
        },
      ),
    },
    '/edges/{edge_id}': {
      delete: op(
        'Delete an edge (operator)',
        { '204': { description: 'Deleted' }, ...errors(401, 403, 404) },
        { parameters: [path('edge_id')] },
      ),
    },
    '/graph/{label}/{entity_id}': {
      get: op(
        `Sub-graph around an entity, both directions, depth ≤ ${MAX_DEPTH} (default 2)`,
        { ...ok(ref('SubGraph')), ...errors(401, 404, 422) },
        { parameters: walkParams },
      ),
    },
    '/impact/{label}/{entity_id}': {
      get: op(
        'Impact both ways: {outward, inward} (default depth 3)',
        { ...ok({ type: 'object' }), ...errors(401, 404, 422) },
        { parameters: walkParams },
      ),
    },
    '/impact/outward/{label}/{entity_id}': {
      get: op(
        'Entities reached following edges forward',
        { ...ok(ref('SubGraph')), ...errors(401, 404, 422) },
        { parameters: walkParams },
      ),
    },
    '/impact/inward/{label}/{entity_id}': {
      get: op(
        'Entities that reach this one (edges followed backward)',
        { ...ok(ref('SubGraph')), ...errors(401, 404, 422) },
        { parameters: walkParams },
      ),
    },
    '/impact/tree': {
      get: op(
        'Infrastructure projects → pipelines/facilities/pads → wells, with well status roll-up',
        { ...ok({ type: 'object' }), ...errors(401, 404, 422) },
        {
          parameters: [
            query('project_id', { type: 'string' }),
            query('depth', { type: 'integer', maximum: MAX_DEPTH }),
          ],
        },
      ),
    },
    '/query': {
      post: op(
        'Run a whitelisted query template',
        {
          ...ok({
            type: 'object',
            properties: {
              template_id: { type: 'string' },
              params: { type: 'object' },
              count: { type: 'integer' },
              data: { type: 'array' },
            },
          }),
          ...errors(401, 404, 422),
        },
        {
          requestBody: json({
            type: 'object',
            required: ['template_id'],
            properties: { template_id: { enum: TEMPLATE_IDS }, params: { type: 'object' } },
          }),
        },
      ),
    },
    '/query/templates': {
      get: op('The templates with their parameter schemas', { ...ok({ type: 'object' }), ...errors(401) }),
    },
    '/context/assemble/{well_api}': {
      get: op(
        'Everything about one well: lease, field, operator, permits, authorisations, recent flaring, offset wells, regulations, deadlines',
        { ...ok({ type: 'object' }), ...errors(401, 404, 422) },
        {
          parameters: [
            path('well_api', 'API number (any accepted form) or entity id'),
            query('as_of', { type: 'string', format: 'date' }),
            query('flaring_days', { type: 'integer' }),
            query('offset_radius_ft', { type: 'number' }),
          ],
        },
      ),
    },
    '/entity-types': {
      get: op(
        'Managed entity types; sort_by key|created_at|updated_at',
        { ...ok(list('EntityType')), ...errors(401, 422) },
        { parameters: listParams },
      ),
      post: op(
        'Create a managed type for a label (admin)',
        { ...ok(ref('EntityType'), '201'), ...errors(401, 403, 409, 422) },
        { requestBody: json(ref('EntityType')) },
      ),
    },
    '/entity-types/{key}': {
      get: op(
        'Read a type',
        { ...ok(ref('EntityType')), ...errors(401, 404) },
        { parameters: [path('key')] },
      ),
      patch: op(
        'Change display name, description or the whole field list (admin)',
        { ...ok(ref('EntityType')), ...errors(401, 403, 404, 422) },
        { parameters: [path('key')] },
      ),
      delete: op(
        'Delete a type (admin)',
        { '204': { description: 'Deleted' }, ...errors(401, 403, 404) },
        { parameters: [path('key')] },
      ),
    },
    '/entity-types/{key}/fields': {
      get: op(
        'Field definitions of a type',
        { ...ok(list('FieldDefinition')), ...errors(401, 404) },
        { parameters: [path('key'), ...listParams] },
      ),
      post: op(
        'Add a field definition (admin)',
        { ...ok(ref('FieldDefinition'), '201'), ...errors(401, 403, 404, 409, 422) },
        { parameters: [path('key')], requestBody: json(ref('FieldDefinition')) },
      ),
    },
    '/entity-types/{key}/fields/{name}': {
      put: op(
        'Replace a field definition (admin)',
        { ...ok(ref('FieldDefinition')), ...errors(401, 403, 404, 409, 422) },
        { parameters: [path('key'), path('name')] },
      ),
      delete: op(
        'Remove a field definition (admin)',
        { '204': { description: 'Deleted' }, ...errors(401, 403, 404) },
        { parameters: [path('key'), path('name')] },
      ),
    },
    '/imports': {
      post: op('Open an atomic import (operator; service-to-service, not routed by the gateway)', {
        ...ok({ type: 'object', properties: { import_id: { type: 'string' } } }, '201'),
        ...errors(401, 403),
      }),
    },
    '/imports/{id}/items': {
      post: op(
        'Validate and stage a batch (≤ 5000 items)',
        {
          ...ok({ type: 'object', properties: { staged: { type: 'integer' } } }),
          ...errors(401, 403, 404, 409, 422),
        },
        { parameters: [path('id')], requestBody: json(batch) },
      ),
    },
    '/imports/{id}/commit': {
      post: op(
        'Apply every staged item in one transaction',
        { ...ok(counts), ...errors(401, 403, 404, 409, 422) },
        { parameters: [path('id')] },
      ),
    },
    '/imports/{id}': {
      delete: op(
        'Discard an import',
        { '204': { description: 'Discarded' }, ...errors(401, 403, 404, 409) },
        { parameters: [path('id')] },
      ),
    },
    '/seed': {
      post: op(
        'Load the deterministic demo data set into the caller’s tenant (admin); dates relative to anchor_date (default today)',
        { ...ok({ type: 'object' }), ...errors(401, 403, 422) },
        {
          requestBody: {
            required: false,
            ...json({ type: 'object', properties: { anchor_date: { type: 'string', format: 'date' } } }),
          },
        },
      ),
    },
  },
} as const;

export function openApiRoutes(router: Router): void {
  // Also under /graph so it is reachable through the gateway (/api/v1/graph/openapi.json).
  for (const p of ['/openapi.json', '/graph/openapi.json']) {
    router.get(p, (ctx) => {
      ctx.state.route = `GET ${p}`;
      ctx.body = OPENAPI_DOCUMENT;
    });
  }
}
