import { parseBody, type TokenVerifier } from '@aegis/common';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { DATA_TYPES, MODES } from '../domain/datatypes';
import { runJob, type JobDeps } from '../ingest/run-job';
import type { Ingestion } from '../ingest/service';
import { authorize, INGEST_ROLES } from './context';
import { respondWithJob } from './views';

export interface RecordRouteDeps {
  verifier: TokenVerifier;
  ingestion: Ingestion;
  jobs: JobDeps;
  /** Most records (or readings) per request. */
  maxRecords: number;
}

const record = z.record(z.string(), z.unknown(), { message: 'must be an object' });

/** SCADA readings become flaring events: `timestamp` is the start, `duration_minutes` → hours. */
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
 * POST /ingest/scada {readings[], mode?} — flaring volume readings from SCADA systems → FlaringEvent
 * entities with FLARED_AT edges. Both: one job each; 201 with the job, 422 naming `records[i]` /
 * `readings[i]` when nothing was stored.
 */
export function recordRoutes(router: Router, deps: RecordRouteDeps): void {
  const extractSchema = z.strictObject({
    data_type: z.enum(DATA_TYPES, { message: `must be one of: ${DATA_TYPES.join(', ')}` }),
    records: z.array(record).min(1).max(deps.maxRecords),
    mode: z.enum(MODES).default('all_or_nothing'),
  });
  const scadaSchema = z.strictObject({
    readings: z.array(record).min(1).max(deps.maxRecords),
    mode: z.enum(MODES).default('all_or_nothing'),
    source: z.string().max(200).optional(),
  });

  router.post('/extract', async (ctx) => {
    ctx.state.route = 'POST /extract';
    const caller = await authorize(ctx, deps.verifier, ...INGEST_ROLES);
    const body = parseBody(ctx, extractSchema);
    const run = await runJob(
      deps.jobs,
      {
        tenantId: caller.identity.tenantId,
        kind: 'extract',
        dataType: body.data_type,
        mode: body.mode,
        source: `${body.records.length} records`,
        createdBy: caller.identity.userId,
      },
      (onProgress) =>
        deps.ingestion.loadObjects(caller.token, body.records, {
          dataType: body.data_type,
          mode: body.mode,
          onProgress,
        }),
    );
    respondWithJob(ctx, run, ['body', 'records']);
  });

  router.post('/ingest/scada', async (ctx) => {
    ctx.state.route = 'POST /ingest/scada';
    const caller = await authorize(ctx, deps.verifier, ...INGEST_ROLES);
    const body = parseBody(ctx, scadaSchema);
    const records = body.readings.map(readingToRecord);
    const run = await runJob(
      deps.jobs,
      {
        tenantId: caller.identity.tenantId,
        kind: 'scada',
        dataType: 'flaring',
        mode: body.mode,
        source: body.source ?? 'scada',
        createdBy: caller.identity.userId,
      },
      (onProgress) =>
        deps.ingestion.loadObjects(caller.token, records, {
          dataType: 'flaring',
          mode: body.mode,
          onProgress,
        }),
    );
    respondWithJob(ctx, run, ['body', 'readings']);
  });
}
