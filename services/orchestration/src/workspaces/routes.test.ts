import { createServiceApi, createTokenVerifier, openApiProblems, openStore, type Store } from '@aegis/common';
import { createApprovalsClient } from '@aegis/approvals';
import { loadAgents } from '../agents';
import { checklistDeps, checklistRoutes, type ChecklistsStore } from '../checklists';
import { buildToolRegistry, createPlatformClients, TOOL_NAMES } from '../tools';
import { workspaceRoutes } from './routes';
import type { WorkspacesStore } from './store';
import { workspaceDeps } from './wiring';

describe('workspace routes in the OpenAPI document', () => {
  it('documents the three routes well-formed beside the checklist routes, the stream as text/event-stream', async () => {
    const opened: Store = await openStore({ url: 'sqlite::memory:' });
    const store: ChecklistsStore & WorkspacesStore = opened;
    const api = createServiceApi({ verifier: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/unused' }) });
    const checklists = checklistDeps({
      settings: { artifactMaxBytes: 1024, storage: { kind: 'local', dir: '/nonexistent' } },
      store,
      approvals: createApprovalsClient({ baseUrl: 'http://127.0.0.1:9', token: () => Promise.resolve('t') }),
      toolNames: TOOL_NAMES,
    });
    checklistRoutes(api, checklists);
    workspaceRoutes(
      api,
      workspaceDeps({
        store,
        checklists,
        agents: loadAgents(),
        tools: buildToolRegistry(),
        clients: createPlatformClients({
          urls: { knowledgeGraph: 'http://x', flaringMonitor: 'http://x', complianceMonitor: 'http://x' },
          timeoutMs: 1000,
        }),
        callerFor: (tenant) => ({ token: 't', tenantId: tenant }),
      }),
    );
    const doc = api.document({ title: 'orchestration', version: '1' }) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/workspaces'))).toEqual([
      '/workspaces/{checklist_id}',
      '/workspaces/{checklist_id}/assess',
      '/workspaces/{checklist_id}/stream',
    ]);
    expect(doc.paths['/workspaces/{checklist_id}/assess'].post.responses).toHaveProperty('202');
    expect(doc.paths['/workspaces/{checklist_id}/assess'].post.responses).toHaveProperty('409');
    expect(Object.keys(doc.paths['/workspaces/{checklist_id}/stream'].get.responses['200'].content!)).toEqual(
      ['text/event-stream'],
    );
    await store.close();
  });
});
