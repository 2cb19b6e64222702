import { lastEventSeq, openSse, seqStreamRoute, type ServiceApi } from '@aegis/common';
import type { EventsDb } from '../events/schema';
import type { StreamHub } from './hub';
import { latestSeq, replayStream, type StreamEntry } from './log';

export interface StreamDeps {
  store: EventsDb;
  hub: StreamHub;
  /** `: ping` interval (spec §7: at most 15 s; tests shorten it). */
  heartbeatMs: number;
}

/** `GET /events/stream`: the tenant's operational events, flare events and alerts as they are
 * recorded (spec §7). */
export function streamRoutes(api: ServiceApi, deps: StreamDeps): void {
  api.group({ tags: ['events'] }).route({
    method: 'get',
    path: '/events/stream',
    summary: 'Server-sent events: operational events, flare events and alerts as they are recorded',
    description:
      'Each event has `id:` (its sequence number), `event: <event_type>` and `data:` JSON that carries `event_type` too (`alert`, `flare_event`, or an operational event’s type key). A reconnecting client sends `Last-Event-ID` (or `?last_event_id=`) and first receives what it missed (the newest 1000 at most). `: ping` comments keep idle connections open.',
    roles: 'any',
    ...seqStreamRoute,
    handler: async (ctx, { tenant }) => {
      const resume = lastEventSeq(ctx);
      const sse = openSse(ctx, { heartbeatMs: deps.heartbeatMs });
      let sent = resume ?? 0;
      // Live rows wait here while the replay is read, then go out in order without repeats.
      let buffered: StreamEntry[] | undefined = resume === undefined ? undefined : [];
      const send = (e: StreamEntry) => {
        if (e.seq <= sent) return;
        sent = e.seq;
        sse.send({ id: String(e.seq), event_type: e.event_type, data: e.data });
      };
      const unsubscribe = await deps.hub.subscribe(tenant, {
        deliver: (e) => (buffered ? buffered.push(e) : send(e)),
        end: () => sse.close(),
      });
      void sse.closed.then(unsubscribe);
      if (buffered) {
        // An id beyond the log's end comes from another log (a database restored or reset): the
        // client would otherwise wait for that number forever, so it gets new events from now on.
        sent = Math.min(sent, await latestSeq(deps.store));
        try {
          for (const e of await replayStream(deps.store, tenant, sent)) send(e);
        } finally {
          const live = buffered;
          buffered = undefined;
          for (const e of live) send(e);
        }
      }
    },
  });
}
