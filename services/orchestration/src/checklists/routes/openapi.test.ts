import { createServiceApi, createTokenVerifier, openApiProblems, openStore } from '@aegis/common';
import { createApprovalsClient } from '@aegis/approvals';
import type { ChecklistsDatabase } from '../store/schema';
import { checklistDeps } from '../wiring';
import { checklistRoutes } from './checklists';

describe('checklist routes in the OpenAPI document', () => {
  it('documents every route well-formed, the upload as multipart and the download as bytes', async () => {
    const store = await openStore<ChecklistsDatabase>({ url: 'sqlite::memory:' });
    const api = createServiceApi({ verifier: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/unused' }) });
    checklistRoutes(
      api,
      checklistDeps({
        settings: { artifactMaxBytes: 1024, storage: { kind: 'local', dir: '/nonexistent' } },
        store,
        approvals: createApprovalsClient({
          baseUrl: 'http://127.0.0.1:9',
          token: () => Promise.resolve('t'),
        }),
        toolNames: [
          'context_assemble',
          'r32_validate',
          'flaring_assess',
          'flaring_forecast',
          'flaring_emissions',
          'rule37_spacing',
          'graph_query',
          'assemble_filing_draft',
        ],
      }),
    );
    const doc = api.document({ title: 'checklists', version: '1' }) as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }
        >
      >;
    };
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/checklist-templates',
      '/checklists',
      '/checklists/{id}',
      '/checklists/{id}/artifacts',
      '/checklists/{id}/exception',
      '/checklists/{id}/items/{idx}',
      '/checklists/{id}/items/{idx}/artifacts',
      '/checklists/{id}/items/{idx}/artifacts/{artifact_id}',
      '/checklists/{id}/items/{idx}/artifacts/{artifact_id}/content',
      '/checklists/{id}/reject',
      '/checklists/{id}/submit',
    ]);
    expect(
      Object.keys(doc.paths['/checklists/{id}/items/{idx}/artifacts'].post.requestBody!.content),
    ).toEqual(['multipart/form-data']);
    expect(doc.paths['/checklists/{id}/items/{idx}/artifacts'].post.responses).toHaveProperty('413');
    expect(api.rawBodyRoutes()).toEqual(['/checklists/{id}/items/{idx}/artifacts']);
    await store.close();
  });
});
