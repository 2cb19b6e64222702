import { ValidationError, type ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { DATA_TYPES, isDataType, isMode, MODES, type DataType, type Mode } from '../domain/datatypes';
import { runJob, type JobDeps } from '../ingest/run-job';
import type { Ingestion } from '../ingest/service';
import { graphCaller, INGEST_ROLES } from './context';
import { receiveUpload } from './multipart';
import { jobErrorSchema, jobFailures, jobSchema, modeSchema } from './schemas';
import { respondWithJob } from './views';

export interface UploadRouteDeps {
  ingestion: Ingestion;
  jobs: JobDeps;
  maxUploadBytes: number;
}

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
});

/** The form as the document shows it: fields before the file part, then the file. */
const uploadForm = z.object({
  data_type: z.enum(DATA_TYPES).optional().describe('Required here or as a query parameter'),
  mode: modeSchema,
  file: z.string().meta({ format: 'binary' }),
});

/** `data_type` and `mode` come from form fields sent before the file part, or from the query string;
 * both places must agree when both are used. */
function pick(
  name: 'data_type' | 'mode',
  field: string | undefined,
  query: string | undefined,
): string | undefined {
  if (field !== undefined && query !== undefined && field !== query) {
    throw ValidationError.single(
      ['body', name],
      `the form field (${field}) and the query parameter (${query}) differ`,
    );
  }
  return field ?? query;
}

export function parseUploadParams(
  fields: Readonly<Record<string, string>>,
  query: { data_type?: string; mode?: string },
): { dataType: DataType; mode: Mode } {
  const dataType = pick('data_type', fields.data_type, query.data_type);
  const mode = pick('mode', fields.mode, query.mode) ?? 'all_or_nothing';
  const issues = [];
  if (dataType === undefined) {
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
  if (issues.length > 0) throw new ValidationError(issues);
  return { dataType: dataType as DataType, mode: mode as Mode };
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
      'multipart/form-data with a `file` part. `data_type` and `mode` are form fields sent before the file ' +
      'part, or query parameters. Headers are normalised (case, spacing, BOM, aliases such as "API No."). ' +
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
      if (query.data_type !== undefined || query.mode !== undefined) parseUploadParams({}, query);
      const run = await receiveUpload(
        ctx,
        { maxBytes: deps.maxUploadBytes, fileField: 'file' },
        async (part) => {
          const { dataType, mode } = parseUploadParams(part.fields, query);
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
            (onProgress) =>
              deps.ingestion.loadCsv(caller, part.stream, {
                dataType,
                mode,
                signal: part.signal,
                beforeCommit: () => part.formComplete,
                onProgress,
              }),
            () => part.bytes(),
          );
        },
      );
      respondWithJob(ctx, run);
    },
  });
}
