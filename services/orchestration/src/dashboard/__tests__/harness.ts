/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { createMetrics, openStore, type Role, type Store } from '@aegis/common';
import { COMPLIANCE_MIGRATIONS, createApp as createComplianceApp } from '@aegis/compliance-monitor';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import { createApp as createGraphApp, migrateGraphStore, seedIfEmpty } from '@aegis/knowledge-graph';
import { listen, requestAs, startRouteHarness, type Listening, type RouteCaller } from '@aegis/testing';
import { NOTHING_IN_REVIEW, type InReviewSource } from '../figures';
import { createComplianceFigures } from '../monitor-client';
import { dashboardRoutes } from '../routes';

export interface Caller {
  roles: Role[];
  tenant?: string;
}

/**
 * The real knowledge graph (seeded with the demo scenario of `asOf` in tenant `default`, as local
 * mode seeds it) and the real compliance monitor in process, and an app with only the dashboard
 * routes calling them over HTTP, all with one local token issuer.
 */
export interface Harness {
  request(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  /** The compliance monitor itself, for its own figures (POST unless told). */
  monitor(
    caller: Caller,
    path: string,
    body: unknown,
    method?: string,
  ): Promise<{ status: number; body: any }>;
  inReview: { current: InReviewSource };
  close(): Promise<void>;
}

export async function startHarness(asOf: string): Promise<Harness> {
  const now = () => Date.parse(`${asOf}T12:00:00Z`);
  const inReview = { current: NOTHING_IN_REVIEW };
  const stores: Store[] = [];
  const servers: Listening[] = [];
  const closeOthers = async () => {
    for (const s of servers) await s.close();
    for (const s of stores) await s.close();
  };
  let monitorUrl = '';
  const harness = await startRouteHarness({
    name: 'orchestration',
    defaultTenant: 'default',
    // The graph and the monitor verify the same issuer's tokens as the dashboard routes.
    register: async (api, { verifier, logger }) => {
      const graphStore = await openStore({ url: 'sqlite::memory:' });
      stores.push(graphStore);
      await migrateGraphStore(graphStore);
      await seedIfEmpty(graphStore, logger, now());
      const graph = await listen(
        createGraphApp({ store: graphStore, verifier, logger, metrics: createMetrics('kg_test'), now }),
      );
      servers.push(graph);
      const kg = createKnowledgeGraphClient({
        baseUrl: graph.url,
        timeoutMs: 10_000,
        commitTimeoutMs: 10_000,
      });

      const monitorStore = await openStore({ url: 'sqlite::memory:' });
      stores.push(monitorStore);
      await monitorStore.migrate('compliance-monitor', COMPLIANCE_MIGRATIONS);
      const monitor = await listen(
        createComplianceApp({
          store: monitorStore,
          verifier,
          logger,
          metrics: createMetrics('cm_test'),
          now,
          kg,
          checkResponses: true,
        }),
      );
      servers.push(monitor);
      monitorUrl = monitor.url;

      dashboardRoutes(api, {
        kg,
        figures: createComplianceFigures({ baseUrl: monitor.url, timeoutMs: 10_000 }),
        inReview: { inReview: (tenant) => inReview.current.inReview(tenant) },
        now,
      });
    },
  }).catch(async (err: unknown) => {
    await closeOthers();
    throw err;
  });
  harness.onClose(closeOthers);
  const monitorRequest = requestAs(monitorUrl, harness.headers);
  const as = (c: Caller): RouteCaller => ({ user: 'u-1', ...c });
  return {
    request: (caller, method, path, body) => harness.request(as(caller), method, path, body),
    monitor: (caller, path, body, method = 'POST') => monitorRequest(as(caller), method, path, body),
    inReview,
    close: harness.close,
  };
}
