import { createApprovalsClient } from '@aegis/approvals';
import { createServiceApi, createTokenVerifier, openApiProblems, openStore } from '@aegis/common';
import { createFakeGraphClient } from '@aegis/graph-client/testing';
import { filingsRoutes } from './routes';
import { filingDeps } from './wiring';

describe('filing routes in the OpenAPI document', () => {
  it('documents every route well-formed, the document download as a PDF', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    const api = createServiceApi({ verifier: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/unused' }) });
    filingsRoutes(
      api,
      filingDeps({
        store,
        approvals: createApprovalsClient({
          baseUrl: 'http://127.0.0.1:9',
          token: () => Promise.resolve('t'),
        }),
        kg: createFakeGraphClient(),
        flaringMonitorUrl: 'http://127.0.0.1:9',
        timeoutMs: 1000,
        identity: { caller: (tenant) => Promise.resolve({ token: 't', tenantId: tenant }) },
      }),
    );
    const doc = api.document({ title: 'filings', version: '1' }) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/compliance/filings',
      '/compliance/filings/{id}',
      '/compliance/filings/{id}/document',
      '/compliance/filings/{id}/transition',
    ]);
    expect(
      Object.keys(doc.paths['/compliance/filings/{id}/document'].get.responses['200'].content ?? {}),
    ).toEqual(['application/pdf']);
    expect(doc.paths['/compliance/filings/{id}/transition'].post.responses).toHaveProperty('409');
    await store.close();
  });
});
