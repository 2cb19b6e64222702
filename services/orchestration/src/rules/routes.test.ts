import { createServiceApi, createTokenVerifier, openApiProblems, openStore } from '@aegis/common';
import { rulesRoutes } from './routes';
import { RULES_MIGRATIONS } from './store/migrations';
import type { RulesDatabase, RulesStore } from './store/schema';

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};

describe('rules routes OpenAPI document', () => {
  let store: RulesStore;
  let doc: Document;
  beforeAll(async () => {
    store = await openStore<RulesDatabase>({ url: 'sqlite::memory:' });
    await store.migrate('orchestration', RULES_MIGRATIONS);
    // The document is built without any request, so the verifier is never asked.
    const api = createServiceApi({ verifier: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:1/jwks' }) });
    rulesRoutes(api, { store });
    doc = api.document({ title: 'rules', version: '0', service: 'orchestration' }) as Document;
  });
  afterAll(async () => {
    await store?.close();
  });

  it('passes the document checks and documents every rules route with its refusals', () => {
    expect(openApiProblems(doc)).toEqual([]);
    expect(
      Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [p, Object.keys(ops).sort()])),
    ).toEqual({
      '/rules': ['get', 'post'],
      '/rules/{id}': ['get'],
      '/rules/{id}/versions': ['get', 'post'],
      '/rules/{id}/transition': ['post'],
    });
    expect(Object.keys(doc.paths['/rules/{id}/transition'].post.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '409', '422']),
    );
  });

  it('documents the parameters of each rule kind', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Rule32Parameters',
        'Rule37Parameters',
        'FormPrParameters',
        'NspsOooobParameters',
        'RuleDetail',
      ]),
    );
  });
});
