import type { Identity, RouteContext, ServiceApi } from '@aegis/common';
import { z } from 'zod';
import { DATA_TYPES, type DataType, type Mode } from '../domain/datatypes';
import { runJob, type JobDeps } from '../ingest/run-job';
import type { Ingestion } from '../ingest/service';
import { graphCaller, INGEST_ROLES } from './context';
import { jobErrorSchema, jobFailures, jobSchema, modeSchema } from './schemas';
import { respondWithJob } from './views';

export interface RecordRouteDeps {
  ingestion: Ingestion;
  jobs: JobDeps;
  /** Most records (or readings) per request. */
  maxRecords: number;
}

const record = z.record(z.string(), z.unknown(), { message: 'must be an object' });

/** SCADA readings are rows of the `flaring` data type: `timestamp` is the start, `duration_minutes` →
 * hours, `reading_id` the row's event id (the flare event's `source_reading_id`). */
export function readingToRecord(reading: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...reading };
  if ('duration_minutes' in out) {
    const minutes = out.duration_minutes;
    delete out.duration_minutes;
    const n = typeof minutes === 'number' ? minutes : Number(minutes);
    out.duration_hours = minutes !== null && minutes !== '' && Number.isFinite(n) ? n / 60 : minutes;
  }
  return out;
}

/**
 * POST /extract {data_type, records[], mode?} — raw records (keys named like CSV headers, aliases
 * accepted) → entities and edges in the graph, validated row by row like a file.
 * POST /ingest/scada {readings[], mode?} — flaring volume readings from SCADA systems → the flaring
 * monitor's flare events (`POST /flare-events`, source `scada`, idempotent per reading id; a reading id
 * recorded before with other content is a rejected row). Both: one job each; 201 with the job, 422
 * naming `records[i]` / `readings[i]` when nothing was stored. Jobs and their data belong to the request's tenant (a
 * platform admin may name another with `tenant_id`): the graph writes go through the caller's token.
 */
export function recordRoutes(api: ServiceApi, deps: RecordRouteDeps): void {
  const extractSchema = z.strictObject({
    data_type: z.enum(DATA_TYPES, { message: `must be one of: ${DATA_TYPES.join(', ')}` }),
    records: z
      .array(record)
      .min(1)
      .max(deps.maxRecords)
      .describe('Keys named like CSV headers (aliases accepted)'),
    mode: modeSchema,
  });
  const scadaSchema = z.strictObject({
    readings: z
      .array(record)
      .min(1)
      .max(deps.maxRecords)
      .describe(
        'api_number, timestamp (the start), volume_mcf; optional duration_minutes or end_time, disposition, reason, authorization_number, flare_id, reading_id (a reading is recorded once per reading id)',
      ),
    mode: modeSchema,
    source: z.string().max(200).optional(),
  });
  const responses = { 201: jobSchema, ...jobFailures(jobErrorSchema) };
  const tags = ['ingest'];

  /** One job over JSON records; the 422 names `[...locPrefix, i, field]`. */
  async function load(
    ctx: RouteContext,
    { identity, tenant }: { identity: Identity; tenant: string },
    job: { kind: 'extract' | 'scada'; dataType: DataType; mode: Mode; source: string },
    records: Record<string, unknown>[],
    locPrefix: string[],
  ): Promise<void> {
    const caller = graphCaller(ctx, tenant);
    const { dataType, mode } = job;
    const run = await runJob(
      deps.jobs,
      { ...job, tenantId: tenant, createdBy: identity.userId },
      (onProgress, onCommit) =>
        job.kind === 'scada'
          ? deps.ingestion.loadReadings(caller, records, { mode, onProgress, onCommit })
          : deps.ingestion.loadObjects(caller, records, { dataType, mode, onProgress, onCommit }),
    );
    respondWithJob(ctx, run, locPrefix);
  }

  api.route({
    method: 'post',
    path: '/extract',
    summary: 'Records → entities and edges in the knowledge graph (one job)',
    tags,
    roles: INGEST_ROLES,
    body: extractSchema,
    responses,
    handler: (ctx, { body, ...who }) =>
      load(
        ctx,
        who,
        {
          kind: 'extract',
          dataType: body.data_type,
          mode: body.mode,
          source: `${body.records.length} records`,
        },
        body.records,
        ['body', 'records'],
      ),
  });

  api.route({
    method: 'post',
    path: '/ingest/scada',
    summary:
      'Flaring volume readings from SCADA systems (JSON batch) → flare events of the flaring monitor, idempotent per reading_id (one job)',
    tags,
    roles: INGEST_ROLES,
    body: scadaSchema,
    responses,
    handler: (ctx, { body, ...who }) =>
      load(
        ctx,
        who,
        { kind: 'scada', dataType: 'flaring', mode: body.mode, source: body.source ?? 'scada' },
        body.readings.map(readingToRecord),
        ['body', 'readings'],
      ),
  });
}
