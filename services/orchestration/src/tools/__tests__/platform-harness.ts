import { createLogger, createMetrics, createTokenVerifier, openStore, type Store } from '@aegis/common';
import { COMPLIANCE_MIGRATIONS, createApp as createComplianceApp } from '@aegis/compliance-monitor';
import { demoScenario } from '@aegis/demo';
import { createApp as createFlaringApp, FLARING_MIGRATIONS } from '@aegis/flaring-monitor';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import { createApp as createGraphApp, migrateGraphStore, seedIfEmpty } from '@aegis/knowledge-graph';
import { createTestTokenIssuer, listen, type Listening, type TestTokenIssuer } from '@aegis/testing';
import { createPlatformClients } from '../clients';
import type { PlatformClients, ToolContext } from '../types';

/**
 * The knowledge graph, the flaring monitor and the compliance monitor in process (their real
 * `createApp`, SQLite in memory) on the demo scenario of @aegis/demo as of `asOf`: the graph seeded
 * as `npm start` seeds it, the flare events loaded through the flaring monitor's own ingest. The tools
 * reach them over HTTP with a service token acting on tenant `default`, as in production, so the
 * figures the tests compare are the services' own.
 */
export interface ToolPlatform {
  asOf: string;
  urls: { knowledgeGraph: string; flaringMonitor: string; complianceMonitor: string };
  clients: PlatformClients;
  /** A tool context acting on `tenant` (default `default`). */
  context(tenant?: string): Promise<ToolContext>;
  /** The service's answer to a direct request (to compare the tools' figures with). */
  direct<T>(
    service: 'knowledge-graph' | 'flaring-monitor' | 'compliance-monitor',
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T>;
  /** The platform's token issuer and verifier, for an app of orchestration routes beside it. */
  issuer: TestTokenIssuer;
  verifier: ReturnType<typeof createTokenVerifier>;
  close(): Promise<void>;
}

export const DEMO_AS_OF = '2026-06-20';

export async function startToolPlatform(asOf = DEMO_AS_OF): Promise<ToolPlatform> {
  const now = () => Date.parse(`${asOf}T12:00:00Z`);
  const logger = createLogger({ service: 'orchestration-tools-test', level: 'silent' });
  const issuer: TestTokenIssuer = await createTestTokenIssuer();
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  const stores: Store[] = [];
  const servers: Listening[] = [];
  const store = async () => {
    const s = await openStore({ url: 'sqlite::memory:' });
    stores.push(s);
    return s;
  };

  const graphStore = await store();
  await migrateGraphStore(graphStore);
  await seedIfEmpty(graphStore, logger, now());
  const graph = await listen(
    createGraphApp({ store: graphStore, verifier, logger, metrics: createMetrics('kg-t'), now }),
  );
  servers.push(graph);
  const kg = createKnowledgeGraphClient({ baseUrl: graph.url, timeoutMs: 10_000, commitTimeoutMs: 10_000 });

  const flaringStore = await store();
  await flaringStore.migrate('flaring-monitor', FLARING_MIGRATIONS);
  const flaring = await listen(
    createFlaringApp({
      store: flaringStore as never,
      kg,
      verifier,
      logger,
      metrics: createMetrics('fm-t'),
      now,
    }),
  );
  servers.push(flaring);

  const complianceStore = await store();
  await complianceStore.migrate('compliance-monitor', COMPLIANCE_MIGRATIONS);
  const compliance = await listen(
    createComplianceApp({
      store: complianceStore,
      kg,
      verifier,
      logger,
      metrics: createMetrics('cm-t'),
      now,
    }),
  );
  servers.push(compliance);

  const operator = await issuer.sign({ roles: ['operator'], tenant_id: 'default' });
  const readings = demoScenario(asOf).flareEvents.map(({ source_reading_id, ...e }) => ({
    ...e,
    reading_id: source_reading_id,
  }));
  const ingest = await fetch(`${flaring.url}/flaring/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ readings }),
  });
  const ingested = (await ingest.json()) as { created: number; rejected: number };
  if (ingest.status !== 200 || ingested.rejected > 0)
    throw new Error(
      `Demo flare events not loaded: ${ingest.status} ${JSON.stringify(ingested).slice(0, 500)}`,
    );

  const urls = { knowledgeGraph: graph.url, flaringMonitor: flaring.url, complianceMonitor: compliance.url };
  const clients = createPlatformClients({ urls, timeoutMs: 10_000 });
  const serviceToken = await issuer.sign({
    roles: ['service'],
    tenant_id: 'default',
    sub: 'service:orchestration',
    user_id: 'service:orchestration',
  });
  const base = {
    'knowledge-graph': graph.url,
    'flaring-monitor': flaring.url,
    'compliance-monitor': compliance.url,
  };

  return {
    asOf,
    urls,
    clients,
    issuer,
    verifier,
    context: (tenant = 'default') =>
      Promise.resolve({
        tenantId: tenant,
        userId: 'user-1',
        caller: { token: serviceToken, tenantId: tenant },
        clients,
        conversationId: 'conv-1',
        runId: 'run-1',
        signal: new AbortController().signal,
        now,
      }),
    async direct<T>(service: keyof typeof base, method: 'GET' | 'POST', path: string, body?: unknown) {
      const res = await fetch(`${base[service]}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${operator}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`${service} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async close() {
      for (const s of servers) await s.close();
      for (const s of stores) await s.close();
      await issuer.close();
    },
  };
}
