import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  openStore,
  type Role,
  type Store,
} from '@aegis/common';
import { createKnowledgeGraphClient } from '@aegis/graph-client';
import {
  createApp,
  createFlaringMonitorClient,
  DEFAULT_SAMPLES_DIR,
  INGESTION_MIGRATIONS,
  type AppConfig,
} from '@aegis/ingestion';
import { startFakeFlaringMonitor, type FakeFlaringMonitor } from './fake-flaring-monitor';
import { startFakeKnowledgeGraph, type FakeKnowledgeGraph } from './fake-knowledge-graph';
import { listen } from './listen';
import { createTestTokenIssuer, type TestTokenIssuer } from './token-issuer';

/** The ingestion app on a loopback port over an in-memory SQLite store, a local token
 * issuer, the fake knowledge graph and the fake flaring monitor. */
export interface TestIngestion {
  url: string;
  store: Store;
  kg: FakeKnowledgeGraph;
  flaring: FakeFlaringMonitor;
  issuer: TestTokenIssuer;
  token(roles?: Role[], tenant?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIngestion(
  options: { config?: Partial<AppConfig> } = {},
): Promise<TestIngestion> {
  const logger = createLogger({ service: 'ingestion-test', level: 'silent' });
  const store = await openStore({ url: 'sqlite::memory:' });
  await store.migrate('ingestion', INGESTION_MIGRATIONS);
  const issuer = await createTestTokenIssuer();
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  const kg = await startFakeKnowledgeGraph();
  const flaring = await startFakeFlaringMonitor();
  const app = createApp({
    config: {
      maxUploadBytes: 8 * 1024 * 1024,
      maxRecordBytes: 64 * 1024,
      batchMaxItems: 5000,
      maxJobErrors: 1000,
      bodyLimitBytes: 8 * 1024 * 1024,
      samplesDir: DEFAULT_SAMPLES_DIR,
      ...options.config,
    },
    verifier,
    store,
    kg: createKnowledgeGraphClient({ baseUrl: kg.url, timeoutMs: 10_000, commitTimeoutMs: 10_000, logger }),
    flaring: createFlaringMonitorClient({ baseUrl: flaring.url, timeoutMs: 10_000, logger }),
    logger,
    metrics: createMetrics('ingestion'),
  });
  const server = await listen(app);
  return {
    url: server.url,
    store,
    kg,
    flaring,
    issuer,
    token: (roles = ['operator'], tenant = 'default') => issuer.sign({ roles, tenant_id: tenant }),
    async close() {
      await server.close();
      verifier.close();
      await kg.close();
      await flaring.close();
      await issuer.close();
      await store.close();
    },
  };
}

/** A multipart body with fields first, then the file (as browsers and curl -F send them). */
export function multipartForm(
  fields: Record<string, string>,
  file?: { name?: string; filename?: string; content: string | Buffer },
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) {
    form.append(
      file.name ?? 'file',
      new Blob([file.content], { type: 'text/csv' }),
      file.filename ?? 'upload.csv',
    );
  }
  return form;
}
