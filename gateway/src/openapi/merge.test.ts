import { RouteTable } from '../routing/route-table';
import { mergeOpenApi, referencePage } from './merge';

const table = new RouteTable([
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/api/v1/compliance', service: 'orchestration' },
  { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor' },
  { prefix: '/api/v2/auth', service: 'auth', stripPrefix: '/api/v2' },
]);

describe('mergeOpenApi', () => {
  const merged = mergeOpenApi(
    [
      {
        service: 'auth',
        doc: {
          paths: {
            '/auth/token': {
              post: { summary: 'Log in', responses: { 401: { $ref: '#/components/responses/Error' } } },
            },
            '/internal/revocations': { get: {} },
          },
          components: {
            responses: {
              Error: {
                description: 'error',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
              },
            },
            schemas: { Error: { type: 'object' } },
          },
        },
      },
      {
        service: 'orchestration',
        doc: { paths: { '/compliance/summary': { get: {} }, '/compliance/deadlines': { get: {} } } },
      },
    ],
    table.rows,
    table,
    ['knowledge-graph'],
  ) as {
    paths: Record<string, Record<string, unknown>>;
    components: Record<string, Record<string, unknown>>;
  };

  it('puts every path under each public prefix that routes to its service, and only those', () => {
    expect(Object.keys(merged.paths)).toEqual([
      '/api/v1/auth/token',
      '/api/v1/compliance/summary',
      '/api/v2/auth/token',
    ]);
    // /compliance/deadlines belongs to compliance-monitor at the gateway; /internal/* is never routed.
  });

  it('namespaces components by service and rewrites their references', () => {
    expect(Object.keys(merged.components.schemas)).toEqual(['auth.Error']);
    const op = merged.paths['/api/v1/auth/token'].post as { responses: Record<string, { $ref: string }> };
    expect(op.responses['401'].$ref).toBe('#/components/responses/auth.Error');
    expect(JSON.stringify(merged.components.responses)).toContain('#/components/schemas/auth.Error');
  });

  it('lists the services it could not reach, and renders a reference page', () => {
    expect((merged as Record<string, unknown>)['x-aegis-unavailable-services']).toEqual(['knowledge-graph']);
    const html = referencePage(merged);
    expect(html).toContain('<code>POST</code></td><td><code>/api/v1/auth/token</code>');
    expect(html).toContain('Log in');
  });
});
