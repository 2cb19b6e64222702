import { AppError, type ValidationIssue } from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';
import type { FlareEventInput } from '../routes/schemas';
import type { FlaringDeps } from './deps';
import { memoizedReads } from './assets';
import { createFlareEvent } from './flare-events';

export interface Reading extends Omit<FlareEventInput, 'status' | 'source' | 'source_reading_id'> {
  reading_id: string;
  source: 'scada' | 'csv';
}

export interface ReadingResult {
  reading_id: string;
  status: 'created' | 'unchanged' | 'rejected';
  event_id?: string;
  error?: { code: string; message: string; field: string };
}

/**
 * A batch of flare readings (SCADA, CSV) → flare events, idempotent per reading id
 * (`source_reading_id`): a reading already stored with the same content is `unchanged`; one that
 * differs, names an unknown well or authorisation, or ends before it starts is `rejected` with the
 * field, and the others are stored.
 */
export async function ingestReadings(
  deps: FlaringDeps,
  caller: GraphCaller,
  tenant: string,
  by: string,
  readings: Reading[],
) {
  const results: ReadingResult[] = [];
  // A batch names few wells many times: read each well and its authorisations once.
  const batch = { ...deps, kg: memoizedReads(deps.kg) };
  for (const [i, r] of readings.entries()) {
    const { reading_id, ...rest } = r;
    try {
      const out = await createFlareEvent(
        batch,
        caller,
        tenant,
        by,
        { ...rest, status: 'open', source_reading_id: reading_id },
        ['body', 'readings', i],
      );
      results.push({
        reading_id,
        status: out.created ? 'created' : 'unchanged',
        event_id: out.event.event_id,
      });
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 422 && err.status !== 409)) throw err;
      const issue = Array.isArray(err.detail) ? (err.detail[0] as ValidationIssue | undefined) : undefined;
      results.push({
        reading_id,
        status: 'rejected',
        error: {
          code: issue?.type ?? err.code,
          message: issue?.msg ?? err.message,
          field: issue ? issue.loc.slice(3).join('.') || 'reading_id' : 'reading_id',
        },
      });
    }
  }
  const count = (s: ReadingResult['status']) => results.filter((r) => r.status === s).length;
  return {
    received: readings.length,
    created: count('created'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    results,
  };
}
