import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ServiceKit } from '@aegis/common';
import { createKnowledgeGraphClient, type KnowledgeGraphClient } from '@aegis/graph-client';
import { Counter } from 'prom-client';
import type { Config } from './config';
import { createFlaringMonitorClient, type FlaringMonitorClient } from './ingest/flaring-client';
import { graphFetch } from './ingest/graph-fetch';
import { interruptJobs, renewLeases, type JobLease, type JobRecord } from './store/jobs';

/**
 * Job ownership across restarts and replicas: every job row names the process running it and a
 * lease that process renews every third of JOB_LEASE_MS. On start and at each renewal, jobs still
 * `running` whose lease lapsed (their process died) are marked failed (`interrupted`); jobs of a live
 * replica keep a fresh lease and are left alone. On shutdown the process marks its own unfinished jobs.
 * Nothing of an interrupted job is visible: imports apply only at their final commit, and the
 * knowledge graph purges uncommitted ones.
 */
export async function jobLeases(kit: ServiceKit<Config>, now: () => number = Date.now): Promise<JobLease> {
  const { store, logger } = kit;
  const lease: JobLease = {
    owner: `${os.hostname()}:${process.pid}:${randomUUID()}`,
    leaseMs: kit.config.jobLeaseMs,
  };
  const report = (jobs: number) => {
    if (jobs > 0) logger.warn({ jobs }, 'Marked ingestion jobs interrupted');
  };
  const sweep = async () => {
    const at = now();
    await renewLeases(store, lease, at);
    report(await interruptJobs(store, at, { lapsed: true }));
  };
  await sweep();
  kit.every('renew job leases', Math.max(100, Math.floor(lease.leaseMs / 3)), sweep);
  kit.onClose(async () => report(await interruptJobs(store, now(), { owner: lease.owner })));
  return lease;
}

/** The knowledge-graph client of the running service, over node:http (graph-fetch.ts: batches are
 * large, the global fetch copies each several times). */
export function knowledgeGraphClient(kit: ServiceKit<Config>): KnowledgeGraphClient {
  return createKnowledgeGraphClient({
    baseUrl: kit.config.knowledgeGraphUrl,
    timeoutMs: kit.config.kgTimeoutMs,
    commitTimeoutMs: kit.config.kgCommitTimeoutMs,
    logger: kit.logger,
    fetch: graphFetch(),
  });
}

/** The flaring-monitor client of the running service (SCADA readings → flare events). */
export function flaringMonitorClient(kit: ServiceKit<Config>): FlaringMonitorClient {
  return createFlaringMonitorClient({
    baseUrl: kit.config.flaringMonitorUrl,
    timeoutMs: kit.config.flaringMonitorTimeoutMs,
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
