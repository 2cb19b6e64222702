import { receiveUpload, ValidationError, type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { DATA_TYPES, isDataType, isMode, MODES, type DataType, type Mode } from '../domain/datatypes';
import { CHARSET_NAMES, isCharset, type Charset } from '../ingest/decode';
import { runJob, type JobDeps } from '../ingest/run-job';
import type { Ingestion } from '../ingest/service';
import { graphCaller, INGEST_ROLES } from './context';
import { jobErrorSchema, jobFailures, jobSchema, modeSchema } from './schemas';
import { respondWithJob } from './views';

export interface UploadRouteDeps {
  ingestion: Ingestion;
  jobs: JobDeps;
  maxUploadBytes: number;
}

const CHARSET_DESCRIPTION =
  'Character set of the file (or a form field before the file part). A byte-order mark (UTF-8, UTF-16 ' +
  'LE/BE) wins; latin1/iso-8859-1 are read as windows-1252. Bytes invalid in it: 422 naming the line.';

/** Plain strings here: `parseUploadParams` checks them together with the form fields (loc `body`);
 * the document shows the values they accept. */
const uploadQuery = z.object({
  data_type: z
    .string()
    .meta({ enum: [...DATA_TYPES], description: 'Or a form field before the file part' })
    .optional(),
  mode: z
    .string()
    .meta({
      enum: [...MODES],
      default: 'all_or_nothing',
      description: 'Or a form field before the file part',
    })
    .optional(),
  charset: z
    .string()
    .meta({
      enum: [...CHARSET_NAMES],
      default: 'utf-8',
      description: CHARSET_DESCRIPTION,
    })
    .optional(),
});

/** The form as the document shows it: fields before the file part, then the file. */
const uploadForm = z.object({
  data_type: z.enum(DATA_TYPES).optional().describe('Required here or as a query parameter'),
  mode: modeSchema,
  charset: z.enum(CHARSET_NAMES).default('utf-8').describe(CHARSET_DESCRIPTION),
  file: z.string().meta({ format: 'binary' }),
});

/** The upload's own parameters: form fields sent before the file part, or query parameters. */
export const UPLOAD_FIELDS = ['data_type', 'mode', 'charset'] as const;
type UploadField = (typeof UPLOAD_FIELDS)[number];
type UploadValues = Partial<Record<UploadField, string>>;

export interface UploadParams {
  dataType: DataType;
  mode: Mode;
  charset: Charset;
}

/** A form field and the query parameter of the same name must agree when both are given. */
function pick(name: UploadField, field: string | undefined, query: string | undefined): string | undefined {
  if (field !== undefined && query !== undefined && field !== query) {
    throw ValidationError.single(
      ['body', name],
      `the form field (${field}) and the query parameter (${query}) differ`,
    );
  }
  return field ?? query;
}

/**
 * Checks `data_type`, `mode` and `charset` from the form fields and the query together (loc `body`).
 * With `complete: false` (the query alone, before the form is read) a missing `data_type` is not an
 * error yet: it may still come as a form field.
 */
export function parseUploadParams(
  fields: Readonly<Record<string, string>>,
  query: UploadValues,
  options: { complete?: boolean } = {},
): UploadParams {
  const dataType = pick('data_type', fields.data_type, query.data_type);
  const mode = pick('mode', fields.mode, query.mode) ?? 'all_or_nothing';
  const charset = (pick('charset', fields.charset, query.charset) ?? 'utf-8').toLowerCase();
  const issues = [];
  if (dataType === undefined) {
    if (options.complete !== false)
      issues.push({
        loc: ['body', 'data_type'],
        msg: 'field required (a form field before the file part, or a query parameter)',
        type: 'missing',
      });
  } else if (!isDataType(dataType)) {
    issues.push({
      loc: ['body', 'data_type'],
      msg: `must be one of: ${DATA_TYPES.join(', ')}`,
      type: 'enum',
    });
  }
  if (!isMode(mode))
    issues.push({ loc: ['body', 'mode'], msg: `must be one of: ${MODES.join(', ')}`, type: 'enum' });
  if (!isCharset(charset))
    issues.push({
      loc: ['body', 'charset'],
      msg: `must be one of: ${CHARSET_NAMES.join(', ')}`,
      type: 'enum',
    });
  if (issues.length > 0) throw new ValidationError(issues);
  return { dataType: dataType as DataType, mode: mode as Mode, charset: charset as Charset };
}

/** POST /ingest/operator/csv — a multipart upload (`file`, `data_type`, `mode`) streamed into the
 * CSV loader; every upload that names a valid data type is a job of the request's tenant (the graph
 * writes go through the caller's token, for that tenant). */
export function uploadRoutes(api: ServiceApi, deps: UploadRouteDeps): void {
  api.route({
    method: 'post',
    path: '/ingest/operator/csv',
    summary: 'Upload an operator CSV file (streamed)',
    description:
      'multipart/form-data with one `file` part. `data_type`, `mode` and `charset` are form fields sent ' +
      'before the file part, or query parameters (both places must agree; a second file part, a repeated ' +
      'field with another value or one of these fields after the file is a 422). Headers are normalised (case, spacing, BOM, aliases such as "API No."). ' +
      'Re-uploading the same file updates the same entities (natural keys), never duplicates them.',
    tags: ['ingest'],
    roles: INGEST_ROLES,
    query: uploadQuery,
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: uploadForm,
          encoding: { file: { contentType: 'text/csv, application/octet-stream' } },
        },
      },
    },
    responses: {
      201: {
        description: 'Stored (all rows, or the valid rows with mode=partial); Location names the job',
        content: { 'application/json': { schema: jobSchema } },
        headers: { Location: { description: '/ingest/jobs/{id}', schema: { type: 'string' } } },
      },
      ...jobFailures(jobErrorSchema),
    },
    handler: async (ctx, { query, identity, tenant }) => {
      const caller = graphCaller(ctx, tenant);
      // Refuses a bad query value before reading the body; data_type may still come from the form.
      parseUploadParams({}, query, { complete: false });
      const run = await receiveUpload(
        ctx,
        { maxBytes: deps.maxUploadBytes, fileField: 'file', fieldsBeforeFile: UPLOAD_FIELDS },
        async (part) => {
          const { dataType, mode, charset } = parseUploadParams(part.fields, query);
          return runJob(
            deps.jobs,
            {
              tenantId: tenant,
              kind: 'csv_upload',
              dataType,
              mode,
              source: part.filename || null,
              createdBy: identity.userId,
            },
            (onProgress, onCommit) =>
              deps.ingestion.loadCsv(caller, part.stream, {
                dataType,
                mode,
                charset,
                signal: part.signal,
                beforeCommit: () => part.formComplete,
                onProgress,
                onCommit,
              }),
            () => part.bytes(),
          );
        },
      );
      respondWithJob(ctx, run);
    },
  });
}
