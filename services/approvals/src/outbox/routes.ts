import {
  lastEventSeq,
  openSse,
  seqLogPump,
  seqStreamRoute,
  type Logger,
  type ServiceApi,
} from '@aegis/common';
import { z } from 'zod';
import { lastOutboxSeq, readOutbox, type OutboxEvent } from '../store/outbox';
import type { ApprovalsDb } from '../store/schema';
import { outboxPageSchema } from '../routes/schemas';
import type { OutboxSignal } from './signal';

export interface OutboxDeps {
  store: ApprovalsDb;
  signal: OutboxSignal;
  /** How often an open stream reads the table (decisions made on other replicas). */
  pollMs: number;
  /** `: ping` interval (spec §7: at most 15 s). */
  heartbeatMs: number;
  logger: Logger;
}

/** Who reads the outbox: the orchestration service's own token (`service`) and admins. */
const READERS = ['service'] as const;

/**
 * The decision outbox (at-least-once): `GET /approvals/outbox?after=&limit=` pages through the tenant's
 * events in seq order, and `GET /approvals/outbox/stream` delivers them as server-sent events with
 * `id: <seq>`, resuming after `Last-Event-ID`. A consumer remembers the last seq it handled and
 * deduplicates by `approval_id` (an approval is decided once, so it has one `approval_decided` event).
 */
export function outboxRoutes(api: ServiceApi, deps: OutboxDeps): void {
  const routes = api.group({ tags: ['approvals outbox'] });

  routes.route({
    method: 'get',
    path: '/approvals/outbox',
    summary: 'Decision events after a seq, oldest first',
    description:
      'Per tenant, events are numbered 1, 2, 3… in commit order, so `after=<last seq handled>` never skips one. Consumers deduplicate by `approval_id`.',
    roles: READERS,
    query: z.object({
      after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: { 200: outboxPageSchema },
    handler: async (_ctx, { query, tenant }) => {
      const rows = await readOutbox(deps.store, tenant, query.after, query.limit + 1);
      const data = rows.slice(0, query.limit);
      return { data, next_after: data.at(-1)?.seq ?? query.after, has_more: rows.length > query.limit };
    },
  });

  routes.route({
    method: 'get',
    path: '/approvals/outbox/stream',
    summary: 'Server-sent decision events',
    description:
      'Each event has `id:` (its seq), `event: approval_decided` and `data:` JSON carrying `event_type` too. A reconnecting client sends `Last-Event-ID` (or `?last_event_id=`) and first receives every event after it. `: ping` comments keep idle connections open.',
    roles: READERS,
    ...seqStreamRoute,
    handler: async (ctx, { tenant }) => {
      const resume = lastEventSeq(ctx);
      // No id: only what is decided from now on. An id beyond the end (another database): from now on.
      const last = await lastOutboxSeq(deps.store, tenant);
      const from = resume === undefined ? last : Math.min(resume, last);
      const sse = openSse(ctx, { heartbeatMs: deps.heartbeatMs });
      const pump = seqLogPump<OutboxEvent>({
        sse,
        after: from,
        read: (after, limit) => readOutbox(deps.store, tenant, after, limit),
        seqOf: (e) => e.seq,
        eventOf: (e) => ({ id: String(e.seq), event_type: e.event_type, data: { seq: e.seq, ...e.data } }),
        onError: (err) => deps.logger.error({ err, tenant }, 'Failed to read the outbox; closed the stream'),
      });
      const unsubscribe = deps.signal.subscribe(tenant, () => void pump());
      const timer = setInterval(() => void pump(), deps.pollMs);
      timer.unref();
      void sse.closed.then(() => {
        clearInterval(timer);
        unsubscribe();
      });
      await pump();
    },
  });
}
