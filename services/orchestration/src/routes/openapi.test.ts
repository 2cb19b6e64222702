import { openApiProblems } from '@aegis/common';
import { startHarness, type Harness } from '../__tests__/harness';

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };

describe('orchestration OpenAPI document', () => {
  let h: Harness;
  let doc: Document;
  beforeAll(async () => {
    h = await startHarness();
    doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as Document;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('passes the document checks and lists every route', () => {
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/agents',
        '/agents/openapi.json',
        '/agents/{agent_id}',
        '/conversations',
        '/conversations/{conversation_id}',
        '/conversations/{conversation_id}/cancel',
        '/conversations/{conversation_id}/messages',
        '/conversations/{conversation_id}/runs',
        '/conversations/{conversation_id}/runs/{run_id}',
        '/conversations/{conversation_id}/stream',
        '/execute',
        '/openapi.json',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/conversations/{conversation_id}']).sort()).toEqual([
      'delete',
      'get',
      'patch',
      'put',
    ]);
  });

  it('is served under /agents too, where the gateway reaches it', async () => {
    const res = await h.call('GET', '/agents/openapi.json', h.tokens.viewer);
    expect(res.status).toBe(200);
    expect(res.body.paths['/execute']).toBeDefined();
  });
});
