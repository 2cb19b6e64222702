import type { Router } from '@koa/router';
import { DATA_TYPES, MODES } from '../domain/datatypes';
import { JOB_KINDS, JOB_SORTABLE, JOB_STATUSES } from '../store/jobs';
import { OPENAPI_ERROR_SCHEMA, OPENAPI_SECURITY_SCHEMES } from '@aegis/common';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: `Error ${c}`, ...json(ref('Error')) }]));
const security = [{ bearer: [] }, { cookie: [] }];
const rejected = {
  description: 'Nothing stored: rows were rejected (detail names each row) or the file is unusable',
  ...json({ allOf: [ref('Error'), { type: 'object', properties: { job: ref('Job') } }] }),
};
const modeSchema = {
  type: 'string',
  enum: [...MODES],
  default: 'all_or_nothing',
  description: 'all_or_nothing: any rejected row stores nothing (422). partial: the valid rows are stored.',
};
const listParam = (name: string, schema: unknown, description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...(description ? { description } : {}),
});

/** A hand-written OpenAPI 3.1 description of the ingestion endpoints (service paths; clients prefix
 * /api/v1 through the gateway). */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'AEGIS ingestion service',
    version: '1.0.0',
    description:
      'Operator CSV uploads, bundled Railroad Commission samples, record extraction and SCADA readings into the ' +
      'knowledge graph. Every ingestion is a job. Row numbers are spreadsheet row numbers (header = row 1); ' +
      '`line` is the physical line where the record starts.',
  },
  servers: [{ url: 'http://localhost:8000/api/v1', description: 'through the gateway' }],
  components: {
    securitySchemes: OPENAPI_SECURITY_SCHEMES,
    schemas: {
      Error: OPENAPI_ERROR_SCHEMA,
      RowError: {
        type: 'object',
        required: ['row', 'field', 'reason'],
        properties: {
          row: {
            type: 'integer',
            description: 'Spreadsheet row (header = 1); record index for JSON records',
          },
          line: { type: 'integer' },
          field: { type: 'string', description: 'Canonical field name, or "row" for the whole row' },
          reason: { type: 'string' },
          value: { type: 'string' },
        },
      },
      Job: {
        type: 'object',
        properties: {
          job_id: { type: 'string' },
          kind: { type: 'string', enum: [...JOB_KINDS] },
          data_type: { type: 'string', enum: [...DATA_TYPES] },
          mode: { type: 'string', enum: [...MODES] },
          status: { type: 'string', enum: [...JOB_STATUSES] },
          source: { type: ['string', 'null'] },
          bytes_received: { type: 'integer' },
          total_rows: { type: 'integer' },
          accepted_rows: { type: 'integer' },
          rejected_rows: { type: 'integer' },
          error_count: { type: 'integer' },
          errors: {
            type: 'array',
            items: ref('RowError'),
            description: 'Capped (MAX_JOB_ERRORS); not in lists',
          },
          errors_truncated: { type: 'boolean' },
          created: { type: 'integer', description: 'Entities created in the knowledge graph' },
          updated: { type: 'integer' },
          edges_created: { type: 'integer' },
          edges_updated: { type: 'integer' },
          failure: {
            type: ['object', 'null'],
            properties: { code: { type: 'string' }, detail: { type: 'string' } },
          },
          created_by: { type: 'string' },
          created_at: { type: 'string', format: 'date-time' },
          finished_at: { type: ['string', 'null'], format: 'date-time' },
          duration_ms: { type: ['integer', 'null'] },
        },
      },
    },
  },
  paths: {
    '/ingest/operator/csv': {
      post: {
        summary: 'Upload an operator CSV file (streamed)',
        description:
          'multipart/form-data with a `file` part. `data_type` and `mode` are form fields sent before the file ' +
          'part, or query parameters. Headers are normalised (case, spacing, BOM, aliases such as "API No."). ' +
          'Re-uploading the same file updates the same entities (natural keys), never duplicates them.',
        security,
        parameters: [
          listParam('data_type', { type: 'string', enum: [...DATA_TYPES] }),
          listParam('mode', modeSchema),
        ],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  data_type: { type: 'string', enum: [...DATA_TYPES] },
                  mode: modeSchema,
                  file: { type: 'string', format: 'binary' },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Stored (all rows, or the valid rows with mode=partial)',
            ...json(ref('Job')),
          },
          '422': rejected,
          ...errors(400, 401, 403, 413, 415, 502, 504),
        },
      },
    },
    '/ingest/rrc-scrape': {
      post: {
        summary: 'Load the bundled Railroad Commission sample data sets',
        security,
        requestBody: json({
          type: 'object',
          properties: {
            data_types: { type: 'array', items: { type: 'string', enum: [...DATA_TYPES] } },
            mode: modeSchema,
          },
        }),
        responses: {
          '201': {
            description: 'One job per data type',
            ...json({ type: 'object', properties: { jobs: { type: 'array', items: ref('Job') } } }),
          },
          ...errors(401, 403, 422, 502, 503),
        },
      },
    },
    '/extract': {
      post: {
        summary: 'Records → entities and edges in the knowledge graph',
        security,
        requestBody: json({
          type: 'object',
          required: ['data_type', 'records'],
          properties: {
            data_type: { type: 'string', enum: [...DATA_TYPES] },
            records: { type: 'array', items: { type: 'object' } },
            mode: modeSchema,
          },
        }),
        responses: {
          '201': { description: 'Stored', ...json(ref('Job')) },
          '422': rejected,
          ...errors(401, 403, 502),
        },
      },
    },
    '/ingest/scada': {
      post: {
        summary: 'Flaring volume readings from SCADA systems (JSON batch) → flaring events',
        security,
        requestBody: json({
          type: 'object',
          required: ['readings'],
          properties: {
            readings: {
              type: 'array',
              items: {
                type: 'object',
                required: ['api_number', 'timestamp', 'volume_mcf'],
                properties: {
                  api_number: { type: 'string' },
                  timestamp: { type: 'string', format: 'date-time' },
                  volume_mcf: { type: 'number' },
                  duration_minutes: { type: 'number' },
                  flare_id: { type: 'string' },
                  disposition: { type: 'string', enum: ['flared', 'vented', '10', '11'] },
                  reading_id: { type: 'string' },
                },
              },
            },
            mode: modeSchema,
            source: { type: 'string' },
          },
        }),
        responses: {
          '201': { description: 'Stored', ...json(ref('Job')) },
          '422': rejected,
          ...errors(401, 403, 502),
        },
      },
    },
    '/ingest/jobs': {
      get: {
        summary: 'List ingestion jobs',
        security,
        parameters: [
          listParam('page', { type: 'integer', minimum: 1 }),
          listParam('page_size', { type: 'integer', minimum: 1, maximum: 100 }),
          listParam('limit', { type: 'integer', minimum: 1, maximum: 100 }),
          listParam('offset', { type: 'integer', minimum: 0 }),
          listParam('sort_by', { type: 'string', enum: [...JOB_SORTABLE], default: 'created_at' }),
          listParam('sort_dir', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }),
          listParam('status', { type: 'string', enum: [...JOB_STATUSES] }),
          listParam('data_type', { type: 'string' }),
          listParam('kind', { type: 'string', enum: [...JOB_KINDS] }),
          listParam('from', { type: 'string', format: 'date-time' }, 'created_at ≥ from'),
          listParam('to', { type: 'string', format: 'date-time' }, 'created_at < to'),
        ],
        responses: {
          '200': {
            description: 'One page',
            ...json({
              type: 'object',
              properties: {
                data: { type: 'array', items: ref('Job') },
                total: { type: 'integer' },
                page: { type: 'integer' },
                page_size: { type: 'integer' },
              },
            }),
          },
          ...errors(401, 403, 422),
        },
      },
    },
    '/ingest/jobs/{id}': {
      get: {
        summary: 'One job, with its (capped) row errors',
        security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The job', ...json(ref('Job')) }, ...errors(401, 403, 404) },
      },
    },
  },
} as const;

export function openApiRoutes(router: Router): void {
  router.get('/openapi.json', (ctx) => {
    ctx.state.route = 'GET /openapi.json';
    ctx.body = OPENAPI_DOCUMENT;
  });
}
