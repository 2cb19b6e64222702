import fc from 'fast-check';
import { RouteTable, isUnsafePath } from './route-table';

const table = new RouteTable([
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/api/v1/compliance', service: 'orchestration' },
  { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor' },
  { prefix: '/api/v1/compliance/dashboard', service: 'compliance-monitor' },
  { prefix: '/api/v1/events', service: 'flaring-monitor' },
  { prefix: '/api/v1/execute', service: 'orchestration' },
  { prefix: '/api/v2/graph', service: 'knowledge-graph', stripPrefix: '/api/v2' },
]);

describe('RouteTable.match', () => {
  it('strips /api/v1 and keeps the rest of the path unchanged', () => {
    expect(table.match('/api/v1/auth/token')).toEqual({
      route: expect.objectContaining({ service: 'auth' }),
      upstreamPath: '/auth/token',
    });
  });

  it('lets the longest prefix win (legacy compliance API over orchestration)', () => {
    expect(table.match('/api/v1/compliance/deadlines')?.route.service).toBe('compliance-monitor');
    expect(table.match('/api/v1/compliance/dashboard/op-1')?.route.service).toBe('compliance-monitor');
    expect(table.match('/api/v1/compliance/summary')?.route.service).toBe('orchestration');
  });

  it('matches whole segments only', () => {
    expect(table.match('/api/v1/eventsX')).toBeUndefined();
    expect(table.match('/api/v1/events/stream')?.upstreamPath).toBe('/events/stream');
    expect(table.match('/api/v1/events')?.upstreamPath).toBe('/events');
  });

  it('serves a v2 row beside v1', () => {
    expect(table.match('/api/v2/graph/Well/1')?.upstreamPath).toBe('/graph/Well/1');
    expect(table.match('/api/v2/auth/token')).toBeUndefined();
  });

  it('answers nothing for unknown paths', () => {
    expect(table.match('/api/v1/unknown')).toBeUndefined();
    expect(table.match('/')).toBeUndefined();
    expect(table.match('/api')).toBeUndefined();
  });

  it('rejects duplicate prefixes', () => {
    expect(
      () =>
        new RouteTable([
          { prefix: '/api/v1/a', service: 'auth' },
          { prefix: '/api/v1/a', service: 'auth' },
        ]),
    ).toThrow(/duplicate/);
  });

  it('agrees with a naive longest-prefix scan on random paths', () => {
    const seg = fc.constantFrom(
      'api',
      'v1',
      'v2',
      'auth',
      'compliance',
      'deadlines',
      'events',
      'eventsX',
      'x',
      'graph',
    );
    const prefixes = [
      '/api/v1/auth',
      '/api/v1/compliance',
      '/api/v1/compliance/deadlines',
      '/api/v1/events',
      '/api/v2/graph',
    ];
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 6 }), (parts) => {
        const path = `/${parts.join('/')}`;
        const naive = prefixes
          .filter((p) => path === p || path.startsWith(`${p}/`))
          .sort((a, b) => b.length - a.length)[0];
        expect(table.match(path)?.route.prefix).toBe(naive);
      }),
    );
  });
});

describe('isUnsafePath', () => {
  it.each([
    '/api/v1/auth/../graph',
    '/api/v1/./auth',
    '/api/v1/auth%2f..%2fgraph',
    '/api/v1//auth',
    '/api/v1/a\\b',
  ])('refuses %s', (p) => expect(isUnsafePath(p)).toBe(true));
  it('accepts ordinary paths', () => {
    expect(isUnsafePath('/api/v1/graph/Well/42-383-12345?depth=2'.split('?')[0])).toBe(false);
    expect(isUnsafePath('/api/v1/auth/.well-known/jwks.json')).toBe(false);
  });
});
