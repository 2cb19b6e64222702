import { AppError, type Logger, type Store } from '@aegis/common';
import {
  createJob,
  finishJob,
  getJob,
  markCommitting,
  recordProgress,
  type JobLease,
  type JobOutcome,
  type JobRecord,
  type NewJob,
} from '../store/jobs';
import type { LoadResult } from './loader';

export interface JobDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  /** Progress is written to the job row at most this often (long files). */
  progressIntervalMs?: number;
  /** This process's lease on the jobs it runs (`interruptJobs` leaves leased jobs alone); without
   * one (tests) jobs are unleased. */
  lease?: JobLease;
  onFinished?: (job: JobRecord) => void;
}

export interface JobRun {
  job: JobRecord;
  /** Set when the load ran to a decision (committed or discarded). */
  result?: LoadResult;
  /** Set when the load failed (file rejected, too large, graph unavailable, ...). */
  error?: unknown;
}

export interface JobWork {
  (
    progress: (p: { totalRows: number; acceptedRows: number; rejectedRows: number }) => void,
    /** Await right before the final commit request. */
    committing: () => Promise<void>,
  ): Promise<LoadResult>;
}

function failureOf(err: unknown): { code: string; detail: string } {
  if (err instanceof AppError) {
    const detail = typeof err.detail === 'string' ? err.detail : err.detail.map((d) => d.msg).join('; ');
    return { code: err.code, detail: detail.slice(0, 2000) };
  }
  return { code: 'internal_error', detail: 'Internal error' };
}

export function outcomeOf(result: LoadResult, bytesReceived?: number): JobOutcome {
  const base = {
    totalRows: result.totalRows,
    acceptedRows: result.acceptedRows,
    rejectedRows: result.rejectedRows,
    bytesReceived,
    errors: result.errors,
    errorCount: result.errorCount,
    errorsTruncated: result.errorsTruncated,
  };
  if (result.outcome === 'committed') {
    return {
      ...base,
      status: result.rejectedRows > 0 ? 'partially_succeeded' : 'succeeded',
      counts: result.counts,
    };
  }
  return {
    ...base,
    status: 'failed',
    failure: {
      code: 'rows_rejected',
      detail:
        result.acceptedRows === 0 && result.rejectedRows === result.totalRows
          ? `All ${result.rejectedRows} rows were rejected; nothing was stored`
          : `${result.rejectedRows} of ${result.totalRows} rows were rejected; nothing was stored`,
    },
  };
}

/**
 * Records a job around one load: `running` first, then the outcome, also when the load throws. The
 * error is returned, not thrown, so the caller can answer with the job.
 */
export async function runJob(
  deps: JobDeps,
  job: NewJob,
  work: JobWork,
  bytesReceived?: () => number,
): Promise<JobRun> {
  const id = await createJob(deps.store, job, deps.now(), deps.lease);
  const interval = deps.progressIntervalMs ?? 2000;
  let lastWrite = deps.now();
  let writing: Promise<void> | undefined;
  const progress = (p: { totalRows: number; acceptedRows: number; rejectedRows: number }) => {
    const now = deps.now();
    if (writing || now - lastWrite < interval) return;
    lastWrite = now;
    writing = recordProgress(deps.store, job.tenantId, id, { ...p, bytesReceived: bytesReceived?.() }, now)
      .catch((err: unknown) => deps.logger.warn({ err, jobId: id }, 'Failed to record job progress'))
      .finally(() => {
        writing = undefined;
      });
  };
  let result: LoadResult | undefined;
  let error: unknown;
  let outcome: JobOutcome;
  try {
    result = await work(progress, () => markCommitting(deps.store, job.tenantId, id));
    outcome = outcomeOf(result, bytesReceived?.());
  } catch (err) {
    error = err;
    if (!(err instanceof AppError))
      deps.logger.error({ err, jobId: id }, 'Ingestion job failed unexpectedly');
    outcome = {
      status: 'failed',
      totalRows: 0,
      acceptedRows: 0,
      rejectedRows: 0,
      bytesReceived: bytesReceived?.(),
      errors: [],
      errorCount: 0,
      errorsTruncated: false,
      failure: failureOf(err),
    };
  }
  if (writing) await writing;
  await finishJob(deps.store, job.tenantId, id, outcome, deps.now());
  const record = (await getJob(deps.store, job.tenantId, id))!;
  deps.onFinished?.(record);
  return { job: record, result, error };
}
