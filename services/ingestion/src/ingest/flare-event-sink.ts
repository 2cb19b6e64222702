import { UpstreamError, type Logger, type ValidationIssue } from '@aegis/common';
import type { GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import type { FlatBatch } from '../domain/batch';
import type { EntityItem } from '../domain/graph-items';
import type { FlareEventInput, FlaringMonitorClient } from './flaring-client';
import type { CommitCounts, LoadSink, SendResult } from './loader';
import { UNKNOWN_WELL, wellLookup } from './production-sink';

/** The reading id of a SCADA reading: its `reading_id` (or `event_id`), else one derived from the
 * well, the flare stack and the start, so the same reading sent again is recognised. */
export function readingIdOf(p: Record<string, unknown>): string {
  if (typeof p.event_id === 'string') return p.event_id;
  const flare = typeof p.flare_id === 'string' ? p.flare_id : '';
  return `scada:${String(p.api_number)}:${flare}:${String(p.start_time)}`;
}

/** A validated `flaring` row (a FlaringEvent item) as the flaring monitor's flare event: the end is
 * given, or the start plus the duration, or the start; disposition 10 (flared) unless given. */
export function flareEventInput(item: EntityItem): FlareEventInput {
  const p = item.properties ?? {};
  const start = String(p.start_time);
  const end =
    typeof p.end_time === 'string'
      ? p.end_time
      : typeof p.duration_hours === 'number'
        ? new Date(Date.parse(start) + Math.round(p.duration_hours * 3_600_000))
            .toISOString()
            .replace(/\.000Z$/, 'Z')
        : start;
  const authorization = typeof p.authorization_number === 'string' ? p.authorization_number : undefined;
  return {
    well_id: String(p.api_number),
    ...(authorization
      ? { authorization_id: authorization.startsWith('R32-') ? authorization : `R32-${authorization}` }
      : {}),
    start_time: start,
    end_time: end,
    volume_mcf: Number(p.volume_mcf),
    disposition: p.disposition_code === '11' ? '11' : '10',
    ...(typeof p.reason === 'string' ? { cause: p.reason } : {}),
    source: 'scada',
    source_reading_id: readingIdOf(p),
  };
}

/**
 * SCADA readings into the flaring monitor's `POST /flare-events`, one reading at a time, idempotent per
 * reading id. `send` records the batch's readings and names the ones refused: an unknown well, a
 * reading id recorded before with other content (409), a reading the monitor rejects (422); the loader
 * rejects those rows and sends the others again (readings already recorded are skipped). `discard`
 * (all_or_nothing with a rejected row, or a failed job) deletes the events this job created, so a
 * failed job leaves nothing behind; events recorded before the job are never touched.
 */
export function flareEventSink(
  flaring: FlaringMonitorClient,
  kg: KnowledgeGraphClient,
  caller: GraphCaller,
  logger: Logger,
): LoadSink {
  const exists = wellLookup(kg, caller);
  const recorded = new WeakSet<object>();
  const created: string[] = [];
  let existing = 0;

  return {
    name: 'the flaring monitor',
    async send(batch: FlatBatch): Promise<SendResult> {
      const pending = [...batch.entities.entries()].filter(
        ([, item]) => item.label === 'FlaringEvent' && !recorded.has(item),
      );
      // Every well first: a batch naming an unknown well sends nothing.
      const issues: ValidationIssue[] = [];
      for (const [i, item] of pending)
        if (!(await exists(String(item.properties?.api_number))))
          issues.push({ loc: ['entities', i, 'api_number'], msg: UNKNOWN_WELL, type: 'not_found' });
      if (issues.length > 0) return { ok: false, issues };
      for (const [i, item] of pending) {
        const input = flareEventInput(item);
        const result = await flaring.createFlareEvent(caller, input);
        if (result.status === 'conflict') {
          issues.push({
            loc: ['entities', i, 'reading_id'],
            msg: `reading ${input.source_reading_id} was recorded before with other content: ${result.detail}`,
            type: 'conflict',
          });
        } else if (result.status === 'rejected') {
          for (const issue of result.issues)
            issues.push({ ...issue, loc: ['entities', i, ...issue.loc.filter((l) => l !== 'body')] });
        } else {
          recorded.add(item);
          if (result.status === 'created') created.push(result.eventId);
          else existing += 1;
        }
      }
      return issues.length > 0 ? { ok: false, issues } : { ok: true };
    },
    async commit(): Promise<CommitCounts> {
      return { created: created.length, updated: existing, edges_created: 0, edges_updated: 0 };
    },
    async discard(): Promise<void> {
      const kept: string[] = [];
      for (const id of created.splice(0)) {
        try {
          await flaring.deleteFlareEvent(caller, id);
        } catch (err) {
          logger.error({ err, eventId: id }, 'Failed to delete a flare event of a discarded job');
          kept.push(id);
        }
      }
      if (kept.length > 0)
        throw new UpstreamError(
          `Flare events ${kept.join(', ')} of this failed job could not be deleted`,
          'flare_events_not_removed',
        );
    },
  };
}
