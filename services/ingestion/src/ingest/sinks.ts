import type { Logger } from '@aegis/common';
import type { FlatBatch } from '../domain/batch';
import type { GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import type { CommitCounts, LoadSink, SendResult } from './loader';

/**
 * A knowledge-graph import session: batches are staged (invisible) and applied by one commit, or
 * thrown away by DELETE. The session is opened by the first batch, so a file rejected before any
 * valid batch never opens one.
 */
export function importSink(
  client: KnowledgeGraphClient,
  caller: GraphCaller,
  logger: Logger,
): LoadSink & {
  readonly importId: string | undefined;
} {
  let importId: string | undefined;
  let finished = false;
  return {
    get importId() {
      return importId;
    },
    async send(batch: FlatBatch): Promise<SendResult> {
      importId ??= await client.createImport(caller);
      return client.stage(caller, importId, { entities: batch.entities, edges: batch.edges });
    },
    async commit(): Promise<CommitCounts> {
      if (!importId) return { created: 0, updated: 0, edges_created: 0, edges_updated: 0 };
      const counts = await client.commit(caller, importId);
      finished = true;
      return counts;
    },
    async discard(): Promise<void> {
      if (!importId || finished) return;
      finished = true;
      try {
        await client.discard(caller, importId);
      } catch (err) {
        // The graph purges stale uncommitted imports after 24 h; staged rows are never visible.
        logger.error({ err, importId }, 'Failed to discard a knowledge-graph import');
        throw err;
      }
    },
  };
}

/**
 * One `POST /entities/bulk` (one transaction in the graph) for record sets that fit in a single
 * batch. A second batch would break atomicity, so it is refused: callers route larger sets to an
 * import session.
 */
export function bulkSink(client: KnowledgeGraphClient, caller: GraphCaller): LoadSink {
  let counts: CommitCounts | undefined;
  return {
    async send(batch: FlatBatch): Promise<SendResult> {
      if (counts) throw new Error('bulkSink takes a single batch');
      const reply = await client.bulk(caller, { entities: batch.entities, edges: batch.edges });
      if ('rejected' in reply) return { ok: false, issues: reply.rejected };
      counts = reply;
      return { ok: true };
    },
    async commit(): Promise<CommitCounts> {
      return counts ?? { created: 0, updated: 0, edges_created: 0, edges_updated: 0 };
    },
    async discard(): Promise<void> {
      // Nothing is written before the single bulk request succeeds.
    },
  };
}
