import type { Migration } from '@aegis/common';

/** The ingestion schema: one row per job. Times are epoch milliseconds (BIGINT); `errors` is the
 * capped JSON list of row errors. */
export const INGESTION_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_ingest_jobs',
    up: `
      CREATE TABLE ingest_jobs (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        data_type TEXT NOT NULL,
        mode TEXT NOT NULL,
        status TEXT NOT NULL,
        source TEXT,
        bytes_received BIGINT NOT NULL DEFAULT 0,
        total_rows INTEGER NOT NULL DEFAULT 0,
        accepted_rows INTEGER NOT NULL DEFAULT 0,
        rejected_rows INTEGER NOT NULL DEFAULT 0,
        error_count INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]',
        errors_truncated INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        edges_created INTEGER NOT NULL DEFAULT 0,
        edges_updated INTEGER NOT NULL DEFAULT 0,
        failure_code TEXT,
        failure_detail TEXT,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        finished_at BIGINT
      );
      CREATE INDEX ingest_jobs_tenant_created ON ingest_jobs (tenant_id, created_at);
      CREATE INDEX ingest_jobs_tenant_status ON ingest_jobs (tenant_id, status, created_at);
    `,
  },
  {
    // Which process runs a job, until when its lease holds, and whether it reached its final commit:
    // a restarted or other replica marks running jobs whose lease lapsed as failed (interrupted).
    id: '0002_ingest_job_leases',
    up: `
      ALTER TABLE ingest_jobs ADD COLUMN owner TEXT;
      ALTER TABLE ingest_jobs ADD COLUMN lease_until BIGINT;
      ALTER TABLE ingest_jobs ADD COLUMN committing INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX ingest_jobs_status_lease ON ingest_jobs (status, lease_until);
    `,
  },
];
