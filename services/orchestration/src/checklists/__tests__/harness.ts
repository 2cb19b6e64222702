import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApprovalsClient, type ApprovalsStore } from '@aegis/approvals';
import { createFakeGraphClient, type FakeGraphClient } from '@aegis/graph-client/testing';
import {
  countTenantRows,
  requestAs,
  startRouteHarness,
  type RouteCaller,
  type RouteRequest,
} from '@aegis/testing';
import { startTestApprovals, type TestApprovals } from '@aegis/testing/approvals';
import { checklistRoutes } from '../routes/checklists';
import type { ArtifactStore } from '../storage/factory';
import { createLocalArtifactStorage, stagingDir } from '../storage/local';
import { CHECKLISTS_MIGRATIONS } from '../store/migrations';
import type { ChecklistsDatabase, ChecklistsStore } from '../store/schema';
import { loadChecklistTemplates } from '../templates/catalog';

export type Caller = RouteCaller;

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
  request: RouteRequest;
  headers: (caller: Caller) => Promise<Record<string, string>>;
  /** Calls the approvals service (the reviewer deciding). */
  approvals: RouteRequest;
  close: () => Promise<void>;
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
  const clock = { now: T0 };
  const now = () => clock.now;
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
  let approvalsServer: TestApprovals | undefined;
  const h = await startRouteHarness<ChecklistsDatabase>({
    name: 'orchestration',
    url,
    migrations: CHECKLISTS_MIGRATIONS,
    register: async (api, { store, verifier, logger, tokenFor }) => {
      approvalsServer = await startTestApprovals({ url, verifier, logger, now });
      checklistRoutes(api, {
        store,
        templates: loadChecklistTemplates(),
        kg,
        now,
        artifacts: options.artifacts?.(artifactsDir) ?? {
          storage: createLocalArtifactStorage(artifactsDir),
          spoolDir: stagingDir(artifactsDir),
        },
        artifactMaxBytes: options.artifactMaxBytes ?? 64 * 1024,
        approvals: createApprovalsClient({ baseUrl: approvalsServer.url, token: () => tokenFor(service) }),
        logger,
      });
    },
  });
  h.onClose(() => rmSync(artifactsDir, { recursive: true, force: true }));
  h.onClose(() => approvalsServer!.close());
  return {
    ...h,
    approvalsStore: approvalsServer!.store,
    kg,
    artifactsDir,
    clock,
    approvals: requestAs(approvalsServer!.url, h.headers),
  };
}

/** Rows of a checklist table for a tenant (what a refused request must leave unchanged). */
export const countRows = (
  store: ChecklistsStore,
  table: 'checklists' | 'checklist_items' | 'checklist_exceptions' | 'checklist_artifacts',
  tenant = 'tenant-a',
): Promise<number> => countTenantRows(store, table, tenant);

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
