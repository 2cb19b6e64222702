import { openApiProblems } from '@aegis/common';
import { startHarness, type Harness } from '../__tests__/harness';

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
};

describe('memory OpenAPI document', () => {
  let h: Harness;
  let doc: Document;

  beforeAll(async () => {
    h = await startHarness();
    doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as Document;
  });
  afterAll(async () => {
    await h.close();
  });

  it('is a well-formed OpenAPI 3.1 document listing every endpoint of spec §8 memory', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/working-memory/{conversation_id}',
        '/episodic/store',
        '/episodic/search',
        '/episodic/{conversation_id}',
        '/ledger/{conversation_id}',
        '/ledger/{conversation_id}/check',
        '/ledger/{conversation_id}/mark',
        '/openapi.json',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/working-memory/{conversation_id}']).sort()).toEqual([
      'delete',
      'get',
      'put',
    ]);
    expect(Object.keys(doc.paths['/working-memory/{conversation_id}'].put.responses)).toContain('413');
  });

  it('routes every documented operation: 401 without a token unless public', async () => {
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const res = await fetch(`${h.url}${path.replace(/\{[^}]+\}/g, 'x1')}`, {
          method: method.toUpperCase(),
        });
        expect(`${method} ${path} ${res.status}`).toBe(
          `${method} ${path} ${op.security.length === 0 ? 200 : 401}`,
        );
      }
  });
});
