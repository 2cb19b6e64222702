import { errorSchema, isoDateTime, type CustomResponse, type OpenApiInfo } from '@aegis/common';
import { z } from 'zod';
import { DATA_TYPES, MODES } from '../domain/datatypes';
import { JOB_KINDS, JOB_STATUSES } from '../store/jobs';

/** The head of the document generated from the routes (served at /openapi.json). */
export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS ingestion service',
  version: '1.0.0',
  description:
    'Operator CSV uploads, bundled Railroad Commission samples, record extraction and SCADA readings into the ' +
    'knowledge graph. Every ingestion is a job. Row numbers are spreadsheet row numbers (header = row 1); ' +
    '`line` is the physical line where the record starts. Service paths; through the gateway they are under /api/v1.',
};

export const modeSchema = z
  .enum(MODES)
  .default('all_or_nothing')
  .describe('all_or_nothing: any rejected row stores nothing (422). partial: the valid rows are stored.');

export const rowErrorSchema = z
  .object({
    row: z.number().int().describe('Spreadsheet row (header = 1); record index for JSON records'),
    line: z.number().int().optional(),
    field: z.string().describe('Canonical field name, or "row" for the whole row'),
    reason: z.string(),
    value: z.string().optional(),
  })
  .meta({ id: 'RowError' });

const instant = isoDateTime();
const count = z.number().int();

const jobFields = {
  job_id: z.string(),
  kind: z.enum(JOB_KINDS),
  data_type: z.enum(DATA_TYPES),
  mode: z.enum(MODES),
  status: z.enum(JOB_STATUSES),
  source: z.string().nullable(),
  bytes_received: count,
  total_rows: count,
  accepted_rows: count,
  rejected_rows: count,
  error_count: count,
  errors_truncated: z.boolean(),
  created: count.describe('Entities created in the knowledge graph'),
  updated: count,
  edges_created: count,
  edges_updated: count,
  failure: z.object({ code: z.string(), detail: z.string() }).nullable(),
  created_by: z.string(),
  created_at: instant,
  finished_at: instant.nullable(),
  duration_ms: count.nullable(),
};

/** A job as lists show it (`jobView(job, false)`): without its row errors. */
export const jobSummarySchema = z.object(jobFields).meta({ id: 'JobSummary' });

/** A job with its (capped, MAX_JOB_ERRORS) row errors (`jobView(job)`). */
export const jobSchema = z
  .object({ ...jobFields, errors: z.array(rowErrorSchema).describe('Capped (MAX_JOB_ERRORS)') })
  .meta({ id: 'Job' });

/** Errors of a route that runs one job: the §5 body plus the job when one was started. */
export const jobErrorSchema = errorSchema
  .extend({ job: jobSchema.optional() })
  .meta({ id: 'JobError', description: 'The §5 error body, with the job when one was started' });

/** Errors of /ingest/rrc-scrape: the §5 body plus the jobs run so far when one failed. */
export const jobsErrorSchema = errorSchema
  .extend({ jobs: z.array(jobSchema).optional() })
  .meta({ id: 'JobsError', description: 'The §5 error body, with the jobs run so far when one failed' });

const FAILURES: Record<number, string> = {
  400: 'Malformed request (invalid JSON, malformed form)',
  401: 'Missing, invalid, expired or revoked token (also as the knowledge graph answered it)',
  403: 'The caller lacks the role (also as the knowledge graph answered it)',
  409: 'The knowledge graph refused a conflicting write',
  413: 'Request body too large',
  415: 'Unsupported content type',
  422: 'Nothing stored: rows were rejected (detail names each row), or the request is invalid',
  502: 'The knowledge graph failed or is unreachable',
  504: 'The knowledge graph did not answer in time',
};

/** The error answers of a route that runs jobs, each with `schema` (the job or jobs ride along). */
export function jobFailures(schema: z.ZodType): Record<number, CustomResponse> {
  return Object.fromEntries(
    Object.entries(FAILURES).map(([status, description]) => [
      status,
      { description, content: { 'application/json': { schema } } },
    ]),
  );
}
