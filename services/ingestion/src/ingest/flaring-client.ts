/**
 * The flaring monitor's flare-event endpoints as ingestion calls them, forwarding the caller's token
 * (and the tenant a platform admin named), like @aegis/graph-client does for the knowledge graph.
 * `POST /flare-events` is idempotent per `source_reading_id`: the same content again answers 200 with
 * the stored event, different content 409.
 */
import {
  AppError,
  UpstreamError,
  UpstreamTimeoutError,
  type Logger,
  type ValidationIssue,
} from '@aegis/common';
import type { GraphCaller } from '@aegis/graph-client';

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
  const base = options.baseUrl.replace(/\/$/, '');
  const doFetch = options.fetch ?? fetch;

  const call = async (method: string, path: string, caller: GraphCaller, body?: unknown) => {
    const { token, tenantId } = typeof caller === 'string' ? { token: caller, tenantId: undefined } : caller;
    const url = `${base}${path}${tenantId ? `?tenant_id=${encodeURIComponent(tenantId)}` : ''}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      options.logger?.warn({ err, method, path }, 'Flaring monitor request failed');
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new UpstreamTimeoutError(
          'The flaring monitor did not answer in time',
          'flaring_monitor_timeout',
        );
      throw new UpstreamError('The flaring monitor is unreachable', 'flaring_monitor_unavailable');
    }
    const text = await res.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  };

  const unexpected = (reply: { status: number; body?: Record<string, unknown> }, what: string) => {
    const detail = reply.body?.detail;
    if (reply.status === 401 || reply.status === 403) {
      const code = typeof reply.body?.code === 'string' ? reply.body.code : 'forbidden';
      return new AppError(
        reply.status,
        code,
        typeof detail === 'string' ? detail : 'Not allowed by the flaring monitor',
      );
    }
    options.logger?.error({ status: reply.status, detail, what }, 'Flaring monitor answered unexpectedly');
    return new UpstreamError(
      `The flaring monitor failed to ${what} (status ${reply.status})`,
      'flaring_monitor_error',
    );
  };

  return {
    async createFlareEvent(caller, input) {
      const reply = await call('POST', '/flare-events', caller, input);
      const eventId = reply.body?.event_id;
      if ((reply.status === 201 || reply.status === 200) && typeof eventId === 'string')
        return { status: reply.status === 201 ? 'created' : 'existing', eventId };
      const detail = reply.body?.detail;
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
