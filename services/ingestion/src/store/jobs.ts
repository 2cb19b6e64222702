import { randomUUID } from 'node:crypto';
import { listPage, sql, type PageParams, type Selectable } from '@aegis/common';
import type { RowError } from '../ingest/errors';
import type { CommitCounts } from '../ingest/loader';
import type { IngestionDb, IngestJobsTable } from './schema';

export const JOB_KINDS = ['csv_upload', 'rrc_scrape', 'extract', 'scada'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** running → succeeded (every row stored) | partially_succeeded (mode=partial, some rows rejected)
 * | failed (nothing stored). */
export const JOB_STATUSES = ['running', 'succeeded', 'partially_succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_SORTABLE = ['created_at', 'finished_at', 'status', 'data_type', 'total_rows'] as const;
export type JobSortColumn = (typeof JOB_SORTABLE)[number];

export interface JobRecord {
  id: string;
  tenantId: string;
  kind: JobKind;
  dataType: string;
  mode: string;
  status: JobStatus;
  source: string | null;
  bytesReceived: number;
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  errorCount: number;
  errors: RowError[];
  errorsTruncated: boolean;
  counts: CommitCounts;
  failure: { code: string; detail: string } | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

type JobRow = Selectable<IngestJobsTable>;

function toRecord(r: JobRow, withErrors: boolean): JobRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    kind: r.kind as JobKind,
    dataType: r.data_type,
    mode: r.mode,
    status: r.status as JobStatus,
    source: r.source,
    bytesReceived: Number(r.bytes_received),
    totalRows: Number(r.total_rows),
    acceptedRows: Number(r.accepted_rows),
    rejectedRows: Number(r.rejected_rows),
    errorCount: Number(r.error_count),
    errors: withErrors ? (JSON.parse(r.errors) as RowError[]) : [],
    errorsTruncated: Number(r.errors_truncated) === 1,
    counts: {
      created: Number(r.created),
      updated: Number(r.updated),
      edges_created: Number(r.edges_created),
      edges_updated: Number(r.edges_updated),
    },
    failure: r.failure_code ? { code: r.failure_code, detail: r.failure_detail ?? '' } : null,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  };
}

export interface NewJob {
  tenantId: string;
  kind: JobKind;
  dataType: string;
  mode: string;
  source: string | null;
  createdBy: string;
}

/** The running process's claim on the jobs it runs: `owner` is unique per process, and a job's lease
 * lasts `leaseMs` past its last renewal (`renewLeases`). */
export interface JobLease {
  owner: string;
  leaseMs: number;
}

export async function createJob(
  { db }: IngestionDb,
  job: NewJob,
  now: number,
  lease?: JobLease,
): Promise<string> {
  const id = `job-${randomUUID()}`;
  await db
    .insertInto('ingest_jobs')
    .values({
      id,
      tenant_id: job.tenantId,
      kind: job.kind,
      data_type: job.dataType,
      mode: job.mode,
      status: 'running',
      source: job.source,
      created_by: job.createdBy,
      created_at: now,
      updated_at: now,
      owner: lease?.owner ?? null,
      lease_until: lease ? now + lease.leaseMs : null,
    })
    .execute();
  return id;
}

/** Extends the lease of every job `owner` is still running; returns how many. */
export async function renewLeases({ db }: IngestionDb, lease: JobLease, now: number): Promise<number> {
  const result = await db
    .updateTable('ingest_jobs')
    .set({ lease_until: now + lease.leaseMs })
    .where((eb) => eb.and({ owner: lease.owner, status: 'running' }))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Notes that a job asked the knowledge graph for its final commit (for the interrupted detail). */
export async function markCommitting({ db }: IngestionDb, tenantId: string, id: string): Promise<void> {
  await db
    .updateTable('ingest_jobs')
    .set({ committing: 1 })
    .where((eb) => eb.and({ tenant_id: tenantId, id }))
    .execute();
}

export const INTERRUPTED = 'interrupted';
const INTERRUPTED_BEFORE_COMMIT =
  'The ingestion process running this job stopped before it finished. Nothing of it was stored: the ' +
  'knowledge graph applies an import only at its final commit. Uploading the file again is safe.';
const INTERRUPTED_IN_COMMIT =
  'The ingestion process running this job stopped during its final commit, which the knowledge graph ' +
  'applies in one transaction: either every row or none was stored. Uploading the file again is safe ' +
  '(rows are keyed, so nothing is duplicated).';

/**
 * Marks `running` jobs whose runner is gone as failed (`interrupted`): those whose lease lapsed before
 * `now` (or that never had one), or with `owner`, every job of that owner (its own shutdown). A job a
 * live replica runs keeps a fresh lease and is left alone. Returns how many were marked.
 */
export async function interruptJobs(
  { db }: IngestionDb,
  now: number,
  scope: { lapsed: true } | { owner: string },
): Promise<number> {
  let marked = 0;
  for (const committing of [0, 1]) {
    const result = await db
      .updateTable('ingest_jobs')
      .set({
        status: 'failed',
        failure_code: INTERRUPTED,
        failure_detail: committing ? INTERRUPTED_IN_COMMIT : INTERRUPTED_BEFORE_COMMIT,
        // Staged rows were never applied; after a commit request the outcome is unknown.
        ...(committing ? {} : { accepted_rows: 0 }),
        updated_at: now,
        finished_at: now,
      })
      .where('status', '=', 'running')
      .where('committing', '=', committing)
      .where((eb) =>
        'owner' in scope
          ? eb('owner', '=', scope.owner)
          : eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]),
      )
      .executeTakeFirst();
    marked += Number(result.numUpdatedRows);
  }
  return marked;
}

export interface JobProgress {
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  bytesReceived?: number;
}

export async function recordProgress(
  { db }: IngestionDb,
  tenantId: string,
  id: string,
  p: JobProgress,
  now: number,
) {
  await db
    .updateTable('ingest_jobs')
    .set({
      total_rows: p.totalRows,
      accepted_rows: p.acceptedRows,
      rejected_rows: p.rejectedRows,
      bytes_received: p.bytesReceived,
      updated_at: now,
    })
    .where((eb) => eb.and({ tenant_id: tenantId, id, status: 'running' }))
    .execute();
}

export interface JobOutcome extends JobProgress {
  status: Exclude<JobStatus, 'running'>;
  errors: RowError[];
  errorCount: number;
  errorsTruncated: boolean;
  counts?: CommitCounts;
  failure?: { code: string; detail: string };
}

export async function finishJob(
  { db }: IngestionDb,
  tenantId: string,
  id: string,
  o: JobOutcome,
  now: number,
) {
  await db
    .updateTable('ingest_jobs')
    .set({
      status: o.status,
      total_rows: o.totalRows,
      accepted_rows: o.acceptedRows,
      rejected_rows: o.rejectedRows,
      bytes_received: o.bytesReceived,
      error_count: o.errorCount,
      errors: JSON.stringify(o.errors),
      errors_truncated: o.errorsTruncated ? 1 : 0,
      created: o.counts?.created ?? 0,
      updated: o.counts?.updated ?? 0,
      edges_created: o.counts?.edges_created ?? 0,
      edges_updated: o.counts?.edges_updated ?? 0,
      failure_code: o.failure?.code ?? null,
      failure_detail: o.failure?.detail ?? null,
      updated_at: now,
      finished_at: now,
    })
    .where((eb) => eb.and({ tenant_id: tenantId, id }))
    .execute();
}

export async function getJob(
  { db }: IngestionDb,
  tenantId: string,
  id: string,
): Promise<JobRecord | undefined> {
  const row = await db
    .selectFrom('ingest_jobs')
    .selectAll()
    .where((eb) => eb.and({ tenant_id: tenantId, id }))
    .limit(1)
    .executeTakeFirst();
  return row ? toRecord(row, true) : undefined;
}

export interface JobFilter {
  tenantId: string;
  status?: JobStatus;
  dataType?: string;
  kind?: JobKind;
  /** created_at ≥ from, < to (epoch ms). */
  from?: number;
  to?: number;
}

/** Every column but `errors`, which a list leaves out (read back as an empty list). */
const LIST_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'data_type',
  'mode',
  'status',
  'source',
  'bytes_received',
  'total_rows',
  'accepted_rows',
  'rejected_rows',
  'error_count',
  'errors_truncated',
  'created',
  'updated',
  'edges_created',
  'edges_updated',
  'failure_code',
  'failure_detail',
  'created_by',
  'created_at',
  'updated_at',
  'finished_at',
  'owner',
  'lease_until',
  'committing',
] as const;

/** One page of a tenant's jobs (without their error lists) and the total. Sort columns come from the
 * JOB_SORTABLE whitelist; values are bound parameters. */
export async function listJobs(
  { db }: IngestionDb,
  filter: JobFilter,
  params: PageParams<JobSortColumn>,
): Promise<{ jobs: JobRecord[]; total: number }> {
  let query = db
    .selectFrom('ingest_jobs')
    .select(LIST_COLUMNS)
    .select(sql<string>`'[]'`.as('errors'))
    .where('tenant_id', '=', filter.tenantId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.dataType !== undefined) query = query.where('data_type', '=', filter.dataType);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
  if (!(JOB_SORTABLE as readonly string[]).includes(params.sortBy)) throw new Error('unsortable column');
  const { rows, total } = await listPage(query, params, { tiebreaker: 'id' });
  return { jobs: rows.map((r) => toRecord(r, false)), total };
}
