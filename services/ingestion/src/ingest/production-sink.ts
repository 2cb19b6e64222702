import { UpstreamError, type Logger, type ValidationIssue } from '@aegis/common';
import {
  MAX_PRODUCTION_RECORDS,
  type GraphCaller,
  type KnowledgeGraphClient,
  type ProductionRecord,
} from '@aegis/graph-client';
import type { FlatBatch } from '../domain/batch';
import type { CommitCounts, LoadSink, SendResult } from './loader';

/** The wells a job has looked up in the knowledge graph: known (true) or not (false). */
export function wellLookup(
  client: KnowledgeGraphClient,
  caller: GraphCaller,
): (wellId: string) => Promise<boolean> {
  const known = new Map<string, boolean>();
  return async (wellId) => {
    let exists = known.get(wellId);
    if (exists === undefined) {
      exists = (await client.getEntity(caller, 'Well', wellId)) !== undefined;
      known.set(wellId, exists);
    }
    return exists;
  };
}

export const UNKNOWN_WELL = 'no such well in the knowledge graph';

/**
 * Monthly production into `PUT /entities/Well/{id}/production` (the knowledge graph merges each
 * well's months by period, in its own transaction). That endpoint is not part of an import session,
 * so the job's all-or-nothing promise is kept in two steps:
 * - `send` only checks and holds rows: every well must exist (a row naming an unknown well is
 *   rejected like a row the graph refuses), nothing is written;
 * - `commit` writes each well's months (one request per well and MAX_PRODUCTION_RECORDS months). If a
 *   write fails, the wells this job already wrote get back the production they had before it (read
 *   right before writing) and the job fails with `production_write_failed`, naming any well it could
 *   not restore (the graph unreachable). Writing is idempotent, so sending the file again converges.
 * `discard` drops what is held: nothing was written.
 */
export function productionSink(client: KnowledgeGraphClient, caller: GraphCaller, logger: Logger): LoadSink {
  const exists = wellLookup(client, caller);
  /** Well → period → record; a later row of the same month wins, as the graph's merge would. */
  const held = new Map<string, Map<string, ProductionRecord>>();

  const restore = async (wellId: string, before: unknown): Promise<boolean> => {
    try {
      const now = await client.getEntity(caller, 'Well', wellId);
      if (!now) return true;
      const properties = { ...now.properties };
      if (before === undefined) delete properties.production;
      else properties.production = before;
      await client.replaceProperties(caller, 'Well', wellId, properties);
      return true;
    } catch (err) {
      logger.error({ err, wellId }, 'Failed to restore the production of a well');
      return false;
    }
  };

  return {
    async send(batch: FlatBatch): Promise<SendResult> {
      const issues: ValidationIssue[] = [];
      for (const [i, p] of batch.production.entries())
        if (!(await exists(p.wellId)))
          issues.push({ loc: ['production', i, 'api_number'], msg: UNKNOWN_WELL, type: 'not_found' });
      if (issues.length > 0) return { ok: false, issues };
      for (const p of batch.production) {
        const months = held.get(p.wellId) ?? new Map<string, ProductionRecord>();
        months.set(p.record.period, p.record);
        held.set(p.wellId, months);
      }
      return { ok: true };
    },
    async commit(): Promise<CommitCounts> {
      const written: { wellId: string; before: unknown }[] = [];
      for (const [wellId, months] of held) {
        const records = [...months.values()];
        try {
          const before = (await client.getEntity(caller, 'Well', wellId))?.properties.production;
          written.push({ wellId, before });
          for (let i = 0; i < records.length; i += MAX_PRODUCTION_RECORDS) {
            const result = await client.putProduction(
              caller,
              wellId,
              records.slice(i, i + MAX_PRODUCTION_RECORDS),
            );
            if (result.status !== 'written')
              throw new Error(
                result.status === 'not_found' ? 'the well was deleted' : JSON.stringify(result.issues),
              );
          }
        } catch (err) {
          const restored = await Promise.all(written.map((w) => restore(w.wellId, w.before)));
          const kept = written.filter((_, i) => !restored[i]).map((w) => w.wellId);
          logger.error(
            { err, wellId, restored: written.length - kept.length, kept },
            'Production write failed',
          );
          const cause = err instanceof Error ? err.message : String(err);
          throw new UpstreamError(
            `Writing the production of well ${wellId} failed (${cause}); ` +
              (kept.length === 0
                ? 'nothing was stored: every well this job had written was restored'
                : `wells ${kept.join(', ')} could not be restored and may keep this job's months (send the file again to complete it)`),
            'production_write_failed',
          );
        }
      }
      held.clear();
      return { created: 0, updated: written.length, edges_created: 0, edges_updated: 0 };
    },
    async discard(): Promise<void> {
      held.clear();
    },
  };
}
