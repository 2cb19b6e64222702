/**
 * The flaring monitor's flare-event endpoints as ingestion calls them, forwarding the caller's token
 * (and the tenant a platform admin named), like @aegis/graph-client does for the knowledge graph.
 * `POST /flare-events` is idempotent per `source_reading_id`: the same content again answers 200 with
 * the stored event, different content 409.
 */
import { UpstreamError, type Logger, type ValidationIssue } from '@aegis/common';
import { callerRequest, detailOf, refusedFor, type GraphCaller, type JsonReply } from '@aegis/graph-client';

const FLARING_MONITOR = { name: 'flaring monitor', code: 'flaring_monitor' };

/** The body of `POST /flare-events` (the flaring monitor's FlareEvent input). */
export interface FlareEventInput {
  well_id: string;
  authorization_id?: string;
  start_time: string;
  end_time: string;
  volume_mcf: number;
  /** Rule 32 disposition codes (16 TAC §3.32): 10 flared, 11 vented. */
  disposition: '10' | '11';
  cause?: string;
  source: 'scada' | 'csv' | 'manual';
  source_reading_id: string;
}

export type FlareEventResult =
  | { status: 'created' | 'existing'; eventId: string }
  | { status: 'conflict'; detail: string }
  | { status: 'rejected'; issues: ValidationIssue[] };

export interface FlaringMonitorClient {
  createFlareEvent(caller: GraphCaller, input: FlareEventInput): Promise<FlareEventResult>;
  /** DELETE /flare-events/{id}; an event already gone counts as deleted. */
  deleteFlareEvent(caller: GraphCaller, eventId: string): Promise<void>;
}

export interface FlaringMonitorClientOptions {
  baseUrl: string;
  timeoutMs: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

export function createFlaringMonitorClient(options: FlaringMonitorClientOptions): FlaringMonitorClient {
  const call = callerRequest({ ...options, upstream: FLARING_MONITOR });

  const unexpected = (reply: JsonReply, what: string) => {
    const refused = refusedFor(reply, FLARING_MONITOR);
    if (refused) return refused;
    options.logger?.error(
      { status: reply.status, detail: detailOf(reply.body), what },
      'Flaring monitor answered unexpectedly',
    );
    return new UpstreamError(
      `The flaring monitor failed to ${what} (status ${reply.status})`,
      'flaring_monitor_error',
    );
  };

  return {
    async createFlareEvent(caller, input) {
      const reply = await call('POST', '/flare-events', caller, input);
      const eventId = (reply.body as { event_id?: unknown } | undefined)?.event_id;
      if ((reply.status === 201 || reply.status === 200) && typeof eventId === 'string')
        return { status: reply.status === 201 ? 'created' : 'existing', eventId };
      const detail = detailOf(reply.body);
      if (reply.status === 409)
        return {
          status: 'conflict',
          detail: typeof detail === 'string' ? detail : 'conflicts with a stored event',
        };
      if (reply.status === 422 && Array.isArray(detail))
        return { status: 'rejected', issues: detail as ValidationIssue[] };
      throw unexpected(reply, 'record the flare event');
    },
    async deleteFlareEvent(caller, eventId) {
      const reply = await call('DELETE', `/flare-events/${encodeURIComponent(eventId)}`, caller);
      if (reply.status === 204 || reply.status === 200 || reply.status === 404) return;
      throw unexpected(reply, 'delete the flare event');
    },
  };
}
