/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APPROVALS_MIGRATIONS,
  createApp as createApprovalsApp,
  createApprovalsClient,
  createAuditKeys,
  type ApprovalsDatabase,
  type ApprovalsStore,
} from '@aegis/approvals';
import {
  createLogger,
  createMetrics,
  createSealer,
  createServiceApi,
  createServiceApp,
  createTokenVerifier,
  openStore,
  type Role,
} from '@aegis/common';
import { createFakeGraphClient, type FakeGraphClient } from '@aegis/graph-client/testing';
import {
  createTestTokenIssuer,
  jsonRequest,
  listen,
  type Listening,
  type TestTokenIssuer,
} from '@aegis/testing';
import { checklistRoutes } from '../routes/checklists';
import type { ArtifactStore } from '../storage/factory';
import { createLocalArtifactStorage, stagingDir } from '../storage/local';
import { CHECKLISTS_MIGRATIONS } from '../store/migrations';
import type { ChecklistsDatabase, ChecklistsStore } from '../store/schema';
import { loadChecklistTemplates } from '../templates/catalog';

export interface Caller {
  user: string;
  roles: Role[];
  tenant?: string;
}

export const operator: Caller = { user: 'olga', roles: ['operator'] };
export const viewer: Caller = { user: 'vic', roles: ['viewer'] };
export const reviewer: Caller = { user: 'rita', roles: ['reviewer'] };
export const service: Caller = { user: 'service:orchestration', roles: ['service'], tenant: 'platform' };
export const otherTenant: Caller = { user: 'bob', roles: ['operator'], tenant: 'tenant-b' };

/** A demo well and lease of tenant-a (the fake graph holds them; tenant-b has none). */
export const WELL_API = '42-317-30001-00';
export const WELL_ID = '42317300010000';
export const LEASE_ID = 'LSE-08-51002';

export interface Harness {
  base: string;
  store: ChecklistsStore;
  approvalsStore: ApprovalsStore;
  kg: FakeGraphClient;
  artifactsDir: string;
  clock: { now: number };
  request(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  headers(caller: Caller): Promise<Record<string, string>>;
  /** Calls the approvals service (the reviewer deciding). */
  approvals(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const T0 = Date.UTC(2026, 10, 2, 9);

/**
 * The checklist routes in an app of their own (as the orchestration registers them), with the real
 * approvals app in process for submit, a fake knowledge graph, and artifact storage of the caller's
 * choice (local files in a temp dir by default). One token issuer signs for both apps.
 */
export async function startHarness(
  url = 'sqlite::memory:',
  options: { artifacts?: (dir: string) => ArtifactStore; artifactMaxBytes?: number } = {},
): Promise<Harness> {
  const issuer: TestTokenIssuer = await createTestTokenIssuer();
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  const logger = createLogger({ service: 'checklists-test', level: 'silent' });
  const clock = { now: T0 };
  const now = () => clock.now;

  // PostgreSQL: one database (migrations are recorded per service); SQLite: a file of its own.
  const approvalsUrl = url.startsWith('sqlite:') ? url.replace(/\.db$/, '-approvals.db') : url;
  const approvalsStore = await openStore<ApprovalsDatabase>({ url: approvalsUrl });
  await approvalsStore.migrate('approvals', APPROVALS_MIGRATIONS);
  const approvalsApp = createApprovalsApp({
    store: approvalsStore,
    keys: createAuditKeys({
      store: approvalsStore,
      configured: randomBytes(32),
      sealer: createSealer(undefined, 'AUDIT_KEY_ENCRYPTION_KEY'),
    }),
    verifier,
    logger,
    metrics: createMetrics('approvals_test'),
    now,
    checkResponses: true,
  });
  const approvalsServer: Listening = await listen(approvalsApp);

  const store = await openStore<ChecklistsDatabase>({ url });
  await store.migrate('orchestration', CHECKLISTS_MIGRATIONS);
  const kg = createFakeGraphClient();
  await kg.bulk(
    { token: 'x', tenantId: 'tenant-a' },
    {
      entities: [
        { label: 'Well', entity_id: WELL_ID, properties: { api_number: WELL_ID } },
        { label: 'Lease', entity_id: LEASE_ID, properties: {} },
      ],
      edges: [],
    },
  );
  const artifactsDir = mkdtempSync(join(tmpdir(), 'aegis-artifacts-'));
  const artifacts = options.artifacts?.(artifactsDir) ?? {
    storage: createLocalArtifactStorage(artifactsDir),
    spoolDir: stagingDir(artifactsDir),
  };
  const serviceToken = () =>
    issuer.sign({
      sub: 'service:orchestration',
      user_id: 'service:orchestration',
      roles: ['service'],
      tenant_id: 'platform',
    });
  const api = createServiceApi({ verifier, checkResponses: true });
  checklistRoutes(api, {
    store,
    templates: loadChecklistTemplates(),
    kg,
    now,
    artifacts,
    artifactMaxBytes: options.artifactMaxBytes ?? 64 * 1024,
    approvals: createApprovalsClient({ baseUrl: approvalsServer.url, token: serviceToken }),
    logger,
  });
  const app = createServiceApp({
    name: 'orchestration',
    logger,
    metrics: createMetrics('checklists_test'),
    store,
    routers: [api.router],
    rawBodyPaths: api.rawBodyRoutes(),
  });
  const server = await listen(app);
  const headers = async (c: Caller) => ({
    authorization: `Bearer ${await issuer.sign({ sub: c.user, user_id: c.user, roles: c.roles, tenant_id: c.tenant ?? 'tenant-a' })}`,
  });
  return {
    base: server.url,
    store,
    approvalsStore,
    kg,
    artifactsDir,
    clock,
    headers,
    request: async (caller, method, path, body) =>
      jsonRequest(`${server.url}${path}`, method, { body, headers: await headers(caller) }),
    approvals: async (caller, method, path, body) =>
      jsonRequest(`${approvalsServer.url}${path}`, method, { body, headers: await headers(caller) }),
    close: async () => {
      await server.close();
      await approvalsServer.close();
      await store.close();
      await approvalsStore.close();
      await issuer.close();
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}

/** Rows of a checklist table for a tenant (what a refused request must leave unchanged). */
export async function countRows(
  store: ChecklistsStore,
  table: 'checklists' | 'checklist_items' | 'checklist_exceptions' | 'checklist_artifacts',
  tenant = 'tenant-a',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenant)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A multipart form with one `file` part. */
export function fileForm(
  content: Buffer | string,
  filename = 'plat.pdf',
  type = 'application/pdf',
): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), filename);
  return form;
}
