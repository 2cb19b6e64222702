import { lastEventSeq, openSse, seqLogPump, seqStreamRoute, type ServiceApi } from '@aegis/common';
import { conversationKey } from '../run/deps';
import type { PreparedRun } from '../run/engine';
import { lastEventSeqOf, readEvents, type StoredEvent } from '../store/run-events';
import { activeRunRow } from '../store/runs';
import { conversationOrThrow } from './conversations';
import type { RouteDeps } from './deps';
import { conversationIdParams, streamQuery } from './schemas';

const TERMINAL = new Set(['done', 'error']);

/**
 * `GET /conversations/{id}/stream` (spec §7). With `message`: starts a run (checked first, so a bad
 * request answers 4xx in the error shape) and streams its events until its live part ends (done,
 * error, or paused at an approval); the client going away cancels it. Without `message`, or with
 * `Last-Event-ID`: replays the conversation's events after that id and follows them until a run ends.
 * Every event has `id:` (its seq in the conversation); `: ping` every SSE_HEARTBEAT_MS.
 */
export function streamRoutes(api: ServiceApi, deps: RouteDeps): void {
  api.group({ tags: ['conversations'] }).route({
    method: 'get',
    path: '/conversations/{conversation_id}/stream',
    summary: 'Run an agent (or follow its runs) as server-sent events',
    description:
      'Events: `agent_status`, `node_end`, `tool_call`, `tool_result`, `token`, `approval_required`, `error`, `done`; each with `id:` and `event:`, and `event_type` in the JSON. Reconnect with `Last-Event-ID` (or `?last_event_id=`) to replay what was missed (no new run is started then). A client disconnect cancels the run it started. Cookie auth (`aegis_token`) works as for every route.',
    roles: ['viewer'],
    params: conversationIdParams,
    query: streamQuery,
    responses: seqStreamRoute.responses,
    errors: [404, 409, 429],
    handler: async (ctx, { params, query, identity, tenant }) => {
      const c = await conversationOrThrow(deps, tenant, params.conversation_id);
      const resume = lastEventSeq(ctx);
      let prepared: PreparedRun | undefined;
      if (query.message !== undefined && resume === undefined) {
        prepared = await deps.engine.start({
          tenantId: tenant,
          userId: identity.userId,
          agentType: query.agent_type,
          agentId: query.agent_id,
          userMessage: query.message,
          conversationId: c.conversation_id,
          loc: 'query',
        });
      }
      const last = await lastEventSeqOf(deps.store, tenant, c.conversation_id);
      const following = prepared ?? (await activeRunRow(deps.store, tenant, c.conversation_id));
      const sse = openSse(ctx, { heartbeatMs: deps.heartbeatMs });
      const pump = seqLogPump<StoredEvent>({
        sse,
        after: resume === undefined ? last : Math.min(resume, last),
        read: (after, limit) => readEvents(deps.store, tenant, c.conversation_id, after, limit),
        seqOf: (e) => e.seq,
        eventOf: ({ seq, event }) => ({ id: String(seq), event_type: event.event_type, data: { ...event } }),
        // Following (no run of its own): the stream ends with the first run that ends after it opened.
        sent: ({ seq, event }) => {
          if (!prepared && TERMINAL.has(event.event_type) && seq > last) sse.close();
        },
        onError: (err) =>
          deps.logger.error({ err, tenant }, 'Failed to read the run events; closed the stream'),
      });
      const unsubscribe = deps.events.subscribe(
        conversationKey(tenant, c.conversation_id),
        () => void pump(),
      );
      const timer = setInterval(() => void pump(), deps.pollMs);
      timer.unref();
      void sse.closed.then(() => {
        clearInterval(timer);
        unsubscribe();
      });
      if (prepared) {
        const controller = new AbortController();
        void sse.closed.then(() => controller.abort());
        void prepared
          .execute({ signal: controller.signal })
          .catch(() => undefined) // the run's error is an `error` event of the stream
          .then(async () => {
            await pump();
            sse.close();
          });
      } else {
        await pump();
        if (!following) sse.close();
      }
    },
  });
}
