/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import {
  createLogger,
  createMetrics,
  createServiceApi,
  createServiceApp,
  createTokenVerifier,
  openStore,
  type Role,
  type Store,
} from '@aegis/common';
import { COMPLIANCE_MIGRATIONS, createApp as createComplianceApp } from '@aegis/compliance-monitor';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import { createApp as createGraphApp, migrateGraphStore, seedIfEmpty } from '@aegis/knowledge-graph';
import { createTestTokenIssuer, jsonRequest, listen, type Listening } from '@aegis/testing';
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
  const issuer = await createTestTokenIssuer();
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  const logger = createLogger({ service: 'dashboard-test', level: 'silent' });
  const now = () => Date.parse(`${asOf}T12:00:00Z`);
  const stores: Store[] = [];
  const servers: Listening[] = [];

  const graphStore = await openStore({ url: 'sqlite::memory:' });
  stores.push(graphStore);
  await migrateGraphStore(graphStore);
  await seedIfEmpty(graphStore, logger, now());
  const graph = await listen(
    createGraphApp({ store: graphStore, verifier, logger, metrics: createMetrics('kg_test'), now }),
  );
  servers.push(graph);
  const kg = createKnowledgeGraphClient({ baseUrl: graph.url, timeoutMs: 10_000, commitTimeoutMs: 10_000 });

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

  const inReview = { current: NOTHING_IN_REVIEW };
  const api = createServiceApi({ verifier, checkResponses: true });
  dashboardRoutes(api, {
    kg,
    figures: createComplianceFigures({ baseUrl: monitor.url, timeoutMs: 10_000 }),
    inReview: { inReview: (tenant) => inReview.current.inReview(tenant) },
    now,
  });
  const app = await listen(
    createServiceApp({
      name: 'orchestration',
      logger,
      metrics: createMetrics('dash_test'),
      routers: [api.router],
    }),
  );
  servers.push(app);

  const token = (c: Caller) =>
    issuer.sign({ sub: 'u-1', user_id: 'u-1', roles: c.roles, tenant_id: c.tenant ?? 'default' });
  return {
    request: async (caller, method, path, body) =>
      jsonRequest(`${app.url}${path}`, method, { token: await token(caller), body }),
    monitor: async (caller, path, body, method = 'POST') =>
      jsonRequest(`${monitor.url}${path}`, method, { token: await token(caller), body }),
    inReview,
    close: async () => {
      for (const s of servers) await s.close();
      for (const s of stores) await s.close();
      await issuer.close();
    },
  };
}
