/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  openStore,
  type Role,
  type Store,
} from '@aegis/common';
import { createFakeGraphClient } from '@aegis/graph-client/testing';
import {
  createTestTokenIssuer,
  jsonRequest,
  listen,
  type Listening,
  type TestTokenIssuer,
} from '@aegis/testing';
import { createApp } from '../../app';
import { FLARING_MIGRATIONS } from '../../store/migrations';
import { StreamHub } from '../../stream/hub';
import { EVENTS_DEFAULTS, type EventsSettings } from '../config';

/** The flaring-monitor app in process on a store of the caller's choice, with a local token issuer,
 * for the events, event-type and stream tests. */
export interface EventsHarness {
  base: string;
  store: Store;
  /** The clock the app reads (tests move it). */
  clock: { now: number };
  hub: StreamHub;
  /** The app's metrics registry as text. */
  metricsText(): Promise<string>;
  headers(roles?: Role[], tenant?: string): Promise<Record<string, string>>;
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startEventsHarness(
  url = 'sqlite::memory:',
  settings: Partial<EventsSettings> = {},
): Promise<EventsHarness> {
  const issuer: TestTokenIssuer = await createTestTokenIssuer();
  const store = await openStore({ url });
  await store.migrate('flaring-monitor', FLARING_MIGRATIONS);
  const clock = { now: Date.UTC(2026, 5, 1, 12) };
  const logger = createLogger({ service: 'flaring-test', level: 'silent' });
  const config = { ...EVENTS_DEFAULTS, streamPollMs: 20, sseHeartbeatMs: 50, ...settings };
  const metrics = createMetrics('flaring_test');
  const hub = new StreamHub({ store, pollMs: config.streamPollMs, logger });
  const app = createApp({
    store,
    kg: createFakeGraphClient(),
    verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
    logger,
    metrics,
    now: () => clock.now,
    checkResponses: true,
    config,
    hub,
  });
  const server: Listening = await listen(app);
  const headers = async (roles: Role[] = ['admin'], tenant = 'tenant-a') => ({
    authorization: `Bearer ${await issuer.sign({ roles, tenant_id: tenant })}`,
  });
  return {
    base: server.url,
    store,
    clock,
    hub,
    metricsText: () => metrics.registry.metrics(),
    headers,
    request: async (method, path, body, extra) =>
      jsonRequest(`${server.url}${path}`, method, { body, headers: { ...(await headers()), ...extra } }),
    close: async () => {
      await server.close();
      await hub.close();
      await store.close();
      await issuer.close();
    },
  };
}
