import type { ServiceKit } from '@aegis/common';
import { Counter } from 'prom-client';
import type { Config } from './config';
import { createKnowledgeGraphClient, type KnowledgeGraphClient } from '@aegis/graph-client';
import type { JobRecord } from './store/jobs';

/** The knowledge-graph client of the running service. */
export function knowledgeGraphClient(kit: ServiceKit<Config>): KnowledgeGraphClient {
  return createKnowledgeGraphClient({
    baseUrl: kit.config.knowledgeGraphUrl,
    timeoutMs: kit.config.kgTimeoutMs,
    commitTimeoutMs: kit.config.kgCommitTimeoutMs,
    logger: kit.logger,
  });
}

/** Counts finished jobs and their rows on the service's registry and logs one line per job. */
export function jobMetrics(kit: ServiceKit<Config>): (job: JobRecord) => void {
  const { logger } = kit;
  const registers = [kit.metrics.registry];
  const jobsTotal = new Counter({
    name: 'aegis_ingestion_jobs_total',
    help: 'Ingestion jobs finished, by kind, data type and status.',
    labelNames: ['kind', 'data_type', 'status'] as const,
    registers,
  });
  const rowsTotal = new Counter({
    name: 'aegis_ingestion_rows_total',
    help: 'Rows read by ingestion jobs, by data type and outcome (accepted, rejected).',
    labelNames: ['data_type', 'outcome'] as const,
    registers,
  });
  return (job) => {
    jobsTotal.inc({ kind: job.kind, data_type: job.dataType, status: job.status });
    rowsTotal.inc({ data_type: job.dataType, outcome: 'accepted' }, job.acceptedRows);
    rowsTotal.inc({ data_type: job.dataType, outcome: 'rejected' }, job.rejectedRows);
    logger.info(
      {
        jobId: job.id,
        tenant: job.tenantId,
        kind: job.kind,
        dataType: job.dataType,
        status: job.status,
        totalRows: job.totalRows,
        acceptedRows: job.acceptedRows,
        rejectedRows: job.rejectedRows,
      },
      'Finished ingestion job',
    );
  };
}
