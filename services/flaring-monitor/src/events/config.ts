import { envInt, serviceIdentityEnv, SSE_HEARTBEAT_MS } from '@aegis/common';
import { z } from 'zod';

/** The settings of operational events, the stream and the sweep; the service's config.ts spreads
 * `eventsEnv` into its schema and `eventsSettings(e)` into its configuration. */
export const eventsEnv = {
  /** Same content within this window is a duplicate submission (default 10 min). */
  EVENT_DEDUP_WINDOW_MS: envInt(600_000, 0, 7 * 86_400_000),
  /** How often each process reads the stream log (default 250 ms). */
  STREAM_POLL_MS: envInt(250, 10, 60_000),
  /** `: ping` interval on event streams (spec §7: at least every 15 s). */
  SSE_HEARTBEAT_MS: envInt(SSE_HEARTBEAT_MS, 10, SSE_HEARTBEAT_MS),
  /** How often the flaring sweep records new alerts; 0 turns it off. */
  SWEEP_INTERVAL_MS: envInt(300_000, 0, 86_400_000),
  /** `SERVICE_CLIENT_SECRET`, the internal client-credentials secret; without it the sweep does not run. */
  ...serviceIdentityEnv,
};

export function eventsSettings(e: {
  EVENT_DEDUP_WINDOW_MS: number;
  STREAM_POLL_MS: number;
  SSE_HEARTBEAT_MS: number;
  SWEEP_INTERVAL_MS: number;
  SERVICE_CLIENT_SECRET: string;
}) {
  return {
    eventDedupWindowMs: e.EVENT_DEDUP_WINDOW_MS,
    streamPollMs: e.STREAM_POLL_MS,
    sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    serviceClientSecret: e.SERVICE_CLIENT_SECRET,
  };
}

export type EventsSettings = ReturnType<typeof eventsSettings>;

/** The settings with every variable unset (tests and apps built without a configuration). */
export const EVENTS_DEFAULTS: EventsSettings = eventsSettings(z.object(eventsEnv).parse({}));
