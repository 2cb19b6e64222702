import type { Generated, Queryable, Store } from '@aegis/common';

/** The ingestion table as the store returns it (migrations.ts creates it): one row per job. Times are
 * epoch ms (BIGINT); `errors` is the capped JSON list of row errors; flags are 0/1. */
export interface IngestJobsTable {
  id: string;
  tenant_id: string;
  kind: string;
  data_type: string;
  mode: string;
  status: string;
  source: string | null;
  bytes_received: Generated<number>;
  total_rows: Generated<number>;
  accepted_rows: Generated<number>;
  rejected_rows: Generated<number>;
  error_count: Generated<number>;
  errors: Generated<string>;
  errors_truncated: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  edges_created: Generated<number>;
  edges_updated: Generated<number>;
  failure_code: string | null;
  failure_detail: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** The process (instance id) running the job; null for jobs recorded without a lease. */
  owner: string | null;
  /** Epoch ms until which the owner's lease holds; renewed while the owner lives. */
  lease_until: number | null;
  /** 1 once the job asked the knowledge graph for its final commit. */
  committing: Generated<number>;
}

export interface IngestionDatabase {
  ingest_jobs: IngestJobsTable;
}

/** The ingestion store or one of its transactions. */
export type IngestionDb = Queryable<IngestionDatabase>;
export type IngestionStore = Store<IngestionDatabase>;
