import { AppError, errorBody, type RouteContext } from '@aegis/common';
import { rowIssues } from '../ingest/errors';
import type { JobRun } from '../ingest/run-job';
import type { JobRecord } from '../store/jobs';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public shape of a job. Lists leave out the error list (`errors` only on GET /ingest/jobs/{id}
 * and in upload responses). */
export function jobView(job: JobRecord, withErrors = true) {
  return {
    job_id: job.id,
    kind: job.kind,
    data_type: job.dataType,
    mode: job.mode,
    status: job.status,
    source: job.source,
    bytes_received: job.bytesReceived,
    total_rows: job.totalRows,
    accepted_rows: job.acceptedRows,
    rejected_rows: job.rejectedRows,
    error_count: job.errorCount,
    ...(withErrors ? { errors: job.errors } : {}),
    errors_truncated: job.errorsTruncated,
    created: job.counts.created,
    updated: job.counts.updated,
    edges_created: job.counts.edges_created,
    edges_updated: job.counts.edges_updated,
    failure: job.failure,
    created_by: job.createdBy,
    created_at: iso(job.createdAt),
    finished_at: iso(job.finishedAt),
    duration_ms: job.finishedAt === null ? null : job.finishedAt - job.createdAt,
  };
}

/**
 * Answers a finished job run: 201 with the job when something was stored; 422 in the §5 error shape
 * (detail naming each rejected row: loc `[...locPrefix, n, field]`) plus the job when nothing was.
 * A run that failed for another reason (file rejected, 413, 502, ...) answers that error's status and
 * §5 body, plus the job; an unexpected error is rethrown for the error handler (500).
 */
export function respondWithJob(
  ctx: RouteContext,
  run: JobRun,
  locPrefix: readonly (string | number)[] = ['file', 'row'],
): void {
  const job = jobView(run.job);
  if (run.error !== undefined) {
    if (!(run.error instanceof AppError)) throw run.error as Error;
    ctx.status = run.error.status;
    for (const [name, value] of Object.entries(run.error.headers)) ctx.set(name, value);
    ctx.body = { ...errorBody(run.error, ctx.state.requestId), job };
    return;
  }
  if (run.job.status === 'failed') {
    ctx.status = 422;
    ctx.body = {
      detail: rowIssues(run.job.errors, locPrefix),
      code: 'rows_rejected',
      request_id: ctx.state.requestId,
      job,
    };
    return;
  }
  ctx.status = 201;
  ctx.set('Location', `/ingest/jobs/${run.job.id}`);
  ctx.body = job;
}
