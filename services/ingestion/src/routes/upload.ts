import { parseQuery, ValidationError, type TokenVerifier } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { DATA_TYPES, isDataType, isMode, MODES, type DataType, type Mode } from '../domain/datatypes';
import { runJob, type JobDeps } from '../ingest/run-job';
import type { Ingestion } from '../ingest/service';
import { authorize, INGEST_ROLES } from './context';
import { receiveUpload } from './multipart';
import { respondWithJob } from './views';

export interface UploadRouteDeps {
  verifier: TokenVerifier;
  ingestion: Ingestion;
  jobs: JobDeps;
  maxUploadBytes: number;
}

const uploadQuery = z.object({
  data_type: z.string().optional(),
  mode: z.string().optional(),
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
 * CSV loader; every upload that names a valid data type is a job. */
export function uploadRoutes(router: Router, deps: UploadRouteDeps): void {
  router.post('/ingest/operator/csv', async (ctx) => {
    ctx.state.route = 'POST /ingest/operator/csv';
    const caller = await authorize(ctx, deps.verifier, ...INGEST_ROLES);
    const query = parseQuery(ctx, uploadQuery);
    if (query.data_type !== undefined || query.mode !== undefined) parseUploadParams({}, query);
    const run = await receiveUpload(
      ctx,
      { maxBytes: deps.maxUploadBytes, fileField: 'file' },
      async (part) => {
        const { dataType, mode } = parseUploadParams(part.fields, query);
        return runJob(
          deps.jobs,
          {
            tenantId: caller.identity.tenantId,
            kind: 'csv_upload',
            dataType,
            mode,
            source: part.filename || null,
            createdBy: caller.identity.userId,
          },
          (onProgress) =>
            deps.ingestion.loadCsv(caller.token, part.stream, {
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
  });
}
