import { createLogger, createMetrics, createTokenVerifier, openStore } from '@aegis/common';
import {
  createTestTokenIssuer,
  jsonRequest,
  listen,
  type Listening,
  type TestTokenIssuer,
} from '@aegis/testing';
import { createApp } from '../app';
import type { Embedder } from '../embeddings/client';
import { MEMORY_MIGRATIONS } from '../store/migrations';
import type { MemoryStore } from '../store/schema';
import { createStoreBackend } from '../working-memory/store-backend';

/** The memory app in process on a store (SQLite in memory unless `url`), every answer checked against
 * its declared schema, with tokens of a test issuer. */
export interface Harness {
  url: string;
  store: MemoryStore;
  issuer: TestTokenIssuer;
  /** operator of `default`, viewer of `default`, operator of `acme`, a service token (ADR 0019). */
  tokens: { operator: string; viewer: string; acme: string; service: string };
  clock: { now: number };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are checked by the assertions
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { url?: string; embedder?: Embedder; pgvector?: boolean } = {},
): Promise<Harness> {
  const issuer = await createTestTokenIssuer();
  const store: MemoryStore = await openStore({ url: options.url ?? 'sqlite::memory:' });
  await store.migrate('memory', MEMORY_MIGRATIONS);
  const clock = { now: Date.parse('2026-06-01T00:00:00Z') };
  const now = () => clock.now;
  const app = createApp({
    store,
    workingMemory: createStoreBackend({ store, ttlMs: 24 * 3600 * 1000, now }),
    embedder: options.embedder,
    pgvector: options.pgvector,
    verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
    logger: createLogger({ service: 'memory-test', level: 'silent' }),
    metrics: createMetrics('memory_test'),
    checkResponses: true,
    now,
  });
  const server: Listening = await listen(app);
  const tokens = {
    operator: await issuer.sign({ roles: ['operator'], tenant_id: 'default' }),
    viewer: await issuer.sign({ roles: ['viewer'], tenant_id: 'default' }),
    acme: await issuer.sign({ roles: ['operator'], tenant_id: 'acme' }),
    service: await issuer.sign({
      roles: ['service'],
      tenant_id: 'default',
      sub: 'service:orchestration',
      user_id: 'service:orchestration',
    }),
  };
  return {
    url: server.url,
    store,
    issuer,
    tokens,
    clock,
    call: (method, path, token, body) => jsonRequest(`${server.url}${path}`, method, { token, body }),
    async close() {
      await server.close();
      await store.close();
      await issuer.close();
    },
  };
}
