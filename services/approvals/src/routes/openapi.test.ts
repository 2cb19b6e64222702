import { openApiProblems } from '@aegis/common';
import { agent, startHarness, type Harness } from '../__tests__/harness';

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };

describe('approvals OpenAPI document', () => {
  let h: Harness;
  let doc: Document;
  beforeAll(async () => {
    h = await startHarness();
    doc = (await (await fetch(`${h.base}/openapi.json`)).json()) as Document;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('passes the document checks and lists every route', async () => {
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/approvals',
        '/approvals/escalate',
        '/approvals/openapi.json',
        '/approvals/outbox',
        '/approvals/outbox/stream',
        '/approvals/settings',
        '/approvals/{id}',
        '/approvals/{id}/audit',
        '/approvals/{id}/decide',
        '/openapi.json',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/approvals/settings']).sort()).toEqual(['get', 'put']);
  });

  it('is served under /approvals too, where the gateway reaches it', async () => {
    const res = await h.request(agent, 'GET', '/approvals/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.paths['/approvals/{id}/decide']).toBeDefined();
  });
});
