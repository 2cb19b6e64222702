import fc from 'fast-check';
import { ROUTE_METHODS, type RouteMethod } from '@aegis/common';
import { RouteTable, isUnsafePath } from './route-table';

const anyMethod = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE');

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
    expect(table.match('/api/v1/auth/token', 'GET')).toEqual({
      route: expect.objectContaining({ service: 'auth' }),
      upstreamPath: '/auth/token',
    });
  });

  it('lets the longest prefix win (legacy compliance API over orchestration)', () => {
    expect(table.match('/api/v1/compliance/deadlines', 'GET')?.route.service).toBe('compliance-monitor');
    expect(table.match('/api/v1/compliance/dashboard/op-1', 'GET')?.route.service).toBe('compliance-monitor');
    expect(table.match('/api/v1/compliance/summary', 'GET')?.route.service).toBe('orchestration');
  });

  it('matches whole segments only', () => {
    expect(table.match('/api/v1/eventsX', 'GET')).toBeUndefined();
    expect(table.match('/api/v1/events/stream', 'GET')?.upstreamPath).toBe('/events/stream');
    expect(table.match('/api/v1/events', 'GET')?.upstreamPath).toBe('/events');
  });

  it('serves a v2 row beside v1', () => {
    expect(table.match('/api/v2/graph/Well/1', 'GET')?.upstreamPath).toBe('/graph/Well/1');
    expect(table.match('/api/v2/auth/token', 'GET')).toBeUndefined();
  });

  it('answers nothing for unknown paths', () => {
    expect(table.match('/api/v1/unknown', 'GET')).toBeUndefined();
    expect(table.match('/', 'GET')).toBeUndefined();
    expect(table.match('/api', 'GET')).toBeUndefined();
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

  it('agrees with a naive longest-prefix scan on random paths and methods when no row has methods', () => {
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
      fc.property(fc.array(seg, { maxLength: 6 }), anyMethod, (parts, method) => {
        const path = `/${parts.join('/')}`;
        const naive = prefixes
          .filter((p) => path === p || path.startsWith(`${p}/`))
          .sort((a, b) => b.length - a.length)[0];
        expect(table.match(path, method)?.route.prefix).toBe(naive);
      }),
    );
  });
});

describe('RouteTable with method-restricted rows', () => {
  const methodTable = new RouteTable([
    { prefix: '/api/v1/compliance', service: 'orchestration' },
    { prefix: '/api/v1/compliance/deadlines', service: 'compliance-monitor', methods: ['POST'] },
    { prefix: '/api/v1/compliance/dashboard', service: 'compliance-monitor' },
    { prefix: '/api/v1/flaring', service: 'flaring-monitor', methods: ['GET', 'DELETE'] },
    { prefix: '/api/v1/flaring', service: 'ingestion', methods: ['POST'] },
    { prefix: '/api/v1/flaring/assess', service: 'knowledge-graph', methods: ['PUT'] },
  ]);
  const at = (path: string, method: string) => {
    const m = methodTable.match(path, method);
    return m && `${m.route.service} ${m.upstreamPath}`;
  };

  it.each([
    ['POST', '/api/v1/compliance/deadlines', 'compliance-monitor /compliance/deadlines'],
    ['GET', '/api/v1/compliance/deadlines', 'orchestration /compliance/deadlines'],
    ['HEAD', '/api/v1/compliance/deadlines', 'orchestration /compliance/deadlines'],
    ['PATCH', '/api/v1/compliance/deadlines/x', 'orchestration /compliance/deadlines/x'],
    ['GET', '/api/v1/compliance/dashboard/op-1', 'compliance-monitor /compliance/dashboard/op-1'],
    ['GET', '/api/v1/flaring/burn-rate', 'flaring-monitor /flaring/burn-rate'],
    ['HEAD', '/api/v1/flaring', 'flaring-monitor /flaring'],
    ['DELETE', '/api/v1/flaring/assess', 'flaring-monitor /flaring/assess'],
    ['POST', '/api/v1/flaring/assess', 'ingestion /flaring/assess'],
    ['PUT', '/api/v1/flaring/assess', 'knowledge-graph /flaring/assess'],
  ])('sends %s %s to %s', (method, path, expected) => {
    expect(at(path, method)).toBe(expected);
  });

  it('finds no row for a method no matching row accepts, and lists the accepted ones for Allow', () => {
    expect(at('/api/v1/flaring/assess', 'PATCH')).toBeUndefined();
    expect(methodTable.allowedMethods('/api/v1/flaring/assess').join(', ')).toBe(
      'GET, HEAD, POST, PUT, DELETE, OPTIONS',
    );
    expect(at('/api/v1/flaring', 'PUT')).toBeUndefined();
    expect(methodTable.allowedMethods('/api/v1/flaring').join(', ')).toBe('GET, HEAD, POST, DELETE, OPTIONS');
  });

  it('lists no method where no row matches (404, not 405)', () => {
    expect(methodTable.allowedMethods('/api/v1/unknown')).toEqual([]);
    expect(methodTable.allowedMethods('/api/v1/flaringX')).toEqual([]);
  });

  it('lets a method the table does not restrict (OPTIONS, TRACE) reach only rows without methods', () => {
    expect(at('/api/v1/compliance/deadlines', 'OPTIONS')).toBe('orchestration /compliance/deadlines');
    expect(at('/api/v1/flaring', 'TRACE')).toBeUndefined();
  });

  it('rejects two rows of one prefix that accept the same method', () => {
    expect(
      () =>
        new RouteTable([
          { prefix: '/api/v1/a', service: 'auth', methods: ['GET', 'POST'] },
          { prefix: '/api/v1/a', service: 'approvals', methods: ['POST'] },
        ]),
    ).toThrow('duplicate route prefix /api/v1/a for POST');
    expect(
      () =>
        new RouteTable([
          { prefix: '/api/v1/a', service: 'auth' },
          { prefix: '/api/v1/a', service: 'approvals', methods: ['DELETE'] },
        ]),
    ).toThrow('duplicate route prefix /api/v1/a for DELETE');
  });

  // Prefixes nest (a, a/b, a/b/c, ...) so restricted rows shadow and fall back onto each other.
  const prefixes = ['/api/v1/a', '/api/v1/a/b', '/api/v1/a/b/c', '/api/v1/d'];
  const services = ['auth', 'approvals', 'ingestion', 'knowledge-graph'] as const;
  const rowsArb = fc
    .uniqueArray(
      fc.record({
        prefix: fc.constantFrom(...prefixes),
        service: fc.constantFrom(...services),
        methods: fc.option(fc.subarray([...ROUTE_METHODS], { minLength: 1 }), { nil: undefined }),
      }),
      { selector: (r) => r.prefix, maxLength: 4 },
    )
    .map((rows) =>
      rows.map((r): { prefix: string; service: (typeof services)[number]; methods?: RouteMethod[] } =>
        r.methods ? r : { prefix: r.prefix, service: r.service },
      ),
    );
  const pathArb = fc
    .array(fc.constantFrom('api', 'v1', 'a', 'b', 'c', 'd', 'x'), { maxLength: 6 })
    .map((p) => `/${p.join('/')}`);
  const accepts = (r: { methods?: readonly string[] }, method: string) =>
    !r.methods || r.methods.includes(method === 'HEAD' ? 'GET' : method);

  it('never lets a method-restricted row capture another method; the longest accepting row wins', () => {
    fc.assert(
      fc.property(rowsArb, pathArb, anyMethod, (rows, path, method) => {
        const t = new RouteTable(rows);
        const found = t.match(path, method)?.route;
        if (found?.methods) expect(accepts(found, method)).toBe(true);
        const naive = rows
          .filter((r) => path === r.prefix || path.startsWith(`${r.prefix}/`))
          .filter((r) =>
            (ROUTE_METHODS as readonly string[]).includes(method) || method === 'HEAD'
              ? accepts(r, method)
              : !r.methods,
          )
          .sort((a, b) => b.prefix.length - a.prefix.length)[0];
        expect(found?.prefix).toBe(naive?.prefix);
        expect(found?.service).toBe(naive?.service);
        // 405 only where some row matches the path: Allow lists exactly what those rows accept.
        const matching = rows.filter((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
        if (matching.length === 0) expect(t.allowedMethods(path)).toEqual([]);
        else
          for (const m of ROUTE_METHODS)
            expect(t.allowedMethods(path).includes(m)).toBe(matching.some((r) => accepts(r, m)));
      }),
    );
  });

  it('routes exactly as a path-only table when no row has methods', () => {
    fc.assert(
      fc.property(rowsArb, pathArb, anyMethod, (rows, path, method) => {
        const plain = rows.map((r) => ({ prefix: r.prefix, service: r.service }));
        const t = new RouteTable(plain);
        const naive = plain
          .filter((r) => path === r.prefix || path.startsWith(`${r.prefix}/`))
          .sort((a, b) => b.prefix.length - a.prefix.length)[0];
        expect(t.match(path, method)?.route.service).toBe(naive?.service);
        expect(t.match(path, method)?.route.prefix).toBe(naive?.prefix);
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
