/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApprovalsClient } from '@aegis/approvals';
import { countTenantRows, startRouteHarness, type RouteCaller, type RouteRequest } from '@aegis/testing';
import { loadAgents } from '../../agents';
import {
  CHECKLISTS_MIGRATIONS,
  checklistRoutes,
  createLocalArtifactStorage,
  loadChecklistTemplates,
  type ChecklistsStore,
} from '../../checklists';
import { stagingDir } from '../../checklists/storage/local';
import { buildToolRegistry, type PlatformClients } from '../../tools';
import type { ToolPlatform } from '../../tools/__tests__/platform-harness';
import { WORKSPACES_MIGRATIONS, type WorkspacesStore } from '../store';
import { workspaceDeps, type WorkspaceRuntime } from '../wiring';
import { workspaceRoutes } from '../routes';

export type Caller = RouteCaller;

/** The demo scenario lives in tenant `default`. */
export const operator: Caller = { user: 'olga', roles: ['operator'], tenant: 'default' };
export const viewer: Caller = { user: 'vic', roles: ['viewer'], tenant: 'default' };
export const otherTenant: Caller = { user: 'bob', roles: ['operator'], tenant: 'tenant-b' };

export interface WorkspaceHarness {
  base: string;
  platform: ToolPlatform;
  store: WorkspacesStore & ChecklistsStore;
  runtime: WorkspaceRuntime;
  /** While set, every tool call waits for it (to hold an assessment running). */
  gate: { wait?: Promise<void> };
  request: RouteRequest;
  headers: (caller: Caller) => Promise<Record<string, string>>;
  close: () => Promise<void>;
}

/**
 * The checklist and workspace routes in one app of their own (as the orchestration registers them)
 * over `url`, with the real knowledge graph, flaring monitor and compliance monitor in process on the
 * demo data (the tools' platform harness). The tools call them with a service token acting on the
 * assessment's tenant; the app's callers carry tokens of a second issuer.
 */
export async function startWorkspaceHarness(url: string, platform: ToolPlatform): Promise<WorkspaceHarness> {
  const now = () => Date.parse(`${platform.asOf}T12:00:00Z`);
  const artifactsDir = mkdtempSync(join(tmpdir(), 'aegis-ws-artifacts-'));
  const templates = loadChecklistTemplates();
  const gate: WorkspaceHarness['gate'] = {};
  const clients: PlatformClients = {
    call: async (...args) => {
      if (gate.wait) await gate.wait;
      return platform.clients.call(...args);
    },
  };
  const callers = new Map<string, Awaited<ReturnType<ToolPlatform['context']>>['caller']>();
  for (const t of ['default', 'tenant-b']) callers.set(t, (await platform.context(t)).caller);

  let runtime: WorkspaceRuntime | undefined;
  const h = await startRouteHarness<any>({
    name: 'orchestration',
    url,
    // One database for both modules, as in the service (typed per module where it is used).
    migrations: [...CHECKLISTS_MIGRATIONS, ...WORKSPACES_MIGRATIONS],
    defaultTenant: 'default',
    register: (api, { store: opened, logger }) => {
      const store: WorkspacesStore & ChecklistsStore = opened;
      const checklistDeps = {
        store,
        templates,
        now,
        artifacts: { storage: createLocalArtifactStorage(artifactsDir), spoolDir: stagingDir(artifactsDir) },
        artifactMaxBytes: 64 * 1024,
        // Submission is not exercised here: the approvals client is never called.
        approvals: createApprovalsClient({
          baseUrl: 'http://127.0.0.1:9',
          token: () => Promise.resolve('x'),
        }),
        logger,
      };
      checklistRoutes(api, checklistDeps);
      runtime = workspaceDeps({
        store,
        checklists: checklistDeps,
        agents: loadAgents(),
        tools: buildToolRegistry(),
        clients,
        callerFor: (tenant) => callers.get(tenant)!,
        logger,
        heartbeatMs: 200,
        pollMs: 100,
      });
      workspaceRoutes(api, runtime);
    },
  });
  h.onClose(() => rmSync(artifactsDir, { recursive: true, force: true }));
  h.onClose(() => runtime!.drain());
  return { ...h, platform, runtime: runtime!, gate };
}

/** Rows of a workspace table for a tenant (what a refused request must leave unchanged). */
export const countRows = (
  store: WorkspacesStore,
  table: 'workspace_assessments' | 'workspace_item_results' | 'workspace_events',
  tenant = 'default',
): Promise<number> => countTenantRows(store, table, tenant);
