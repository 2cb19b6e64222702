import { FIELD_TYPES } from '../domain/entity-types';
import { LABELS, MAX_BATCH_ITEMS, MAX_DEPTH } from '../domain/labels';
import { OPENAPI_ERROR_SCHEMA } from '@aegis/common';

/** Building blocks and component schemas of the OpenAPI document (openapi.ts). */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: `Error ${c}`, ...json(ref('Error')) }]));
export const security = [{ bearer: [] }, { cookie: [] }];
export const path = (name: string, description?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
export const query = (name: string, schema: unknown, description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
export const listParams = [
  query('page', { type: 'integer', minimum: 1 }),
  query('page_size', { type: 'integer', minimum: 1, maximum: 100 }),
  query('limit', { type: 'integer', minimum: 1, maximum: 100 }),
  query('offset', { type: 'integer', minimum: 0 }),
  query('sort_dir', { enum: ['asc', 'desc'] }),
  query('sort_order', { enum: ['asc', 'desc'] }),
];
export const list = (item: string) => ({
  type: 'object',
  required: ['data', 'total', 'page', 'page_size'],
  properties: {
    data: { type: 'array', items: ref(item) },
    total: { type: 'integer' },
    page: { type: 'integer' },
    page_size: { type: 'integer' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
  },
});
export const op = (
  summary: string,
  responses: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  summary,
  security,
  responses,
  ...extra,
});
export const ok = (schema: unknown, status = '200') => ({ [status]: { description: 'OK', ...json(schema) } });
export const label = path('label', `One of: ${LABELS.join(', ')}`);
export const walkParams = [
  label,
  path('entity_id'),
  query('depth', { type: 'integer', minimum: 0, maximum: MAX_DEPTH }),
  query('limit', { type: 'integer', maximum: 5000 }),
];
export const batch = {
  type: 'object',
  properties: {
    entities: { type: 'array', items: ref('EntityInput') },
    edges: { type: 'array', items: ref('EdgeInput') },
  },
  description: `At most ${MAX_BATCH_ITEMS} items in all`,
};
export const counts = {
  type: 'object',
  properties: {
    created: { type: 'integer' },
    updated: { type: 'integer' },
    edges_created: { type: 'integer' },
    edges_updated: { type: 'integer' },
  },
};

export const SCHEMAS = {
  Error: OPENAPI_ERROR_SCHEMA,
  EntityInput: {
    type: 'object',
    required: ['label'],
    properties: {
      label: { enum: LABELS },
      entity_id: {
        type: 'string',
        description: 'Natural key; for a Well defaults to properties.api_number normalised to 14 digits',
      },
      properties: {
        type: 'object',
        description: 'latitude/longitude in decimal degrees; api_number for wells',
      },
    },
  },
  Entity: {
    type: 'object',
    properties: {
      label: { enum: LABELS },
      entity_id: { type: 'string' },
      properties: { type: 'object' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
    },
  },
  EdgeInput: {
    type: 'object',
    required: ['from_label', 'from_id', 'rel_type', 'to_label', 'to_id'],
    properties: {
      from_label: { enum: LABELS },
      from_id: { type: 'string' },
      rel_type: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
      to_label: { enum: LABELS },
      to_id: { type: 'string' },
      properties: { type: 'object' },
    },
  },
  Edge: {
    allOf: [
      ref('EdgeInput'),
      {
        type: 'object',
        properties: {
          edge_id: { type: 'string' },
          created_at: { type: 'string' },
          updated_at: { type: 'string' },
        },
      },
    ],
  },
  SubGraph: {
    type: 'object',
    properties: {
      root: { type: 'object' },
      direction: { enum: ['both', 'out', 'in'] },
      depth: { type: 'integer' },
      nodes: {
        type: 'array',
        items: { allOf: [ref('Entity'), { type: 'object', properties: { depth: { type: 'integer' } } }] },
      },
      edges: { type: 'array', items: ref('Edge') },
      truncated: { type: 'boolean' },
    },
  },
  FieldDefinition: {
    type: 'object',
    required: ['name', 'type'],
    properties: {
      name: { type: 'string' },
      type: { enum: FIELD_TYPES },
      required: { type: 'boolean' },
      enum: { type: 'array' },
      pattern: { type: 'string' },
      min: { type: ['number', 'string'] },
      max: { type: ['number', 'string'] },
      description: { type: 'string' },
    },
  },
  EntityType: {
    type: 'object',
    properties: {
      key: { enum: LABELS },
      display_name: { type: 'string' },
      description: { type: ['string', 'null'] },
      fields: { type: 'array', items: ref('FieldDefinition') },
    },
  },
  Counts: counts,
};
