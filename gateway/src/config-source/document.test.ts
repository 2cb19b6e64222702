import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { defaultRouteTable } from '@aegis/common';
import { compileConfig, ConfigValidationError } from './document';
import { readFileDocument } from './file-source';
import { ConfigHolder } from './holder';
import { identityRuleFor, tenantBurst } from './tenant-policy';

const services = { auth: { url: 'http://127.0.0.1:8009' }, orchestration: { url: 'http://127.0.0.1:8001' } };
const routes = [
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/api/v1/execute', service: 'orchestration' },
];
const doc = (tenants: unknown[]) => ({ routes, services, tenants });

describe('compileConfig', () => {
  it('compiles tenant policies with defaults, route overrides and the tenant ceiling', () => {
    const config = compileConfig(
      doc([
        { name: 'default', spec: {} },
        {
          name: 'acme',
          generation: 3,
          spec: {
            tenantId: 'acme-energy',
            rateLimit: {
              requestsPerMinute: 100,
              burst: 10,
              tenantRequestsPerMinute: 6000,
              failurePolicy: 'Closed',
              routes: [
                { name: 'agent-runs', pathPrefix: '/api/v1/execute', requestsPerMinute: 20, burst: 5 },
              ],
            },
          },
        },
      ]),
      'test',
    );
    const def = config.tenants.get('default')!;
    expect(def.identityRule).toEqual({ id: 'identity', requestsPerMinute: 100, burst: 10 });
    expect(def.failurePolicy).toBe('LocalFallback');
    expect(def.tenantRule).toBeUndefined();
    const acme = config.tenants.get('acme-energy')!;
    expect(acme.generation).toBe(3);
    expect(acme.tenantRule).toEqual({ id: 'tenant', requestsPerMinute: 6000, burst: 1000 });
    expect(identityRuleFor(acme, '/api/v1/execute')).toEqual({
      id: 'route:agent-runs',
      requestsPerMinute: 20,
      burst: 5,
    });
    expect(identityRuleFor(acme, '/api/v1/executeX')).toEqual(acme.identityRule);
    expect(config.routes.match('/api/v1/auth/token', 'POST')?.route.service).toBe('auth');
  });

  it('gives the same document the same hash and a changed one another', () => {
    const a = compileConfig(doc([{ name: 'default', spec: {} }]), 'a');
    const b = compileConfig(JSON.parse(JSON.stringify(doc([{ spec: {}, name: 'default' }]))), 'b');
    const c = compileConfig(doc([{ name: 'default', spec: { suspended: true } }]), 'c');
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });

  it.each([
    [
      doc([{ name: 'x', spec: { rateLimit: { requestsPerMinute: 5, burst: 10 } } }]),
      /tenants\.0\.spec\.rateLimit\.burst/,
    ],
    [doc([{ name: 'x', spec: { services: ['nope'] } }]), /tenants\.0\.spec\.services\.0/],
    [
      doc([
        { name: 'x', spec: {} },
        { name: 'y', spec: { tenantId: 'x' } },
      ]),
      /duplicate tenantId x/,
    ],
    [
      { routes: [{ prefix: '/api/v1/graph', service: 'knowledge-graph' }], services, tenants: [] },
      /no address for service knowledge-graph/,
    ],
    [{ routes: [{ prefix: '/graph', service: 'auth' }], services, tenants: [] }, /routes\.0\.prefix/],
    [{ routes: [...routes, routes[0]], services, tenants: [] }, /duplicate route prefix/],
  ])('rejects an invalid document naming the field (%#)', (input, message) => {
    expect(() => compileConfig(input, 'test')).toThrow(ConfigValidationError);
    expect(() => compileConfig(input, 'test')).toThrow(message);
  });

  it('sizes the tenant-wide bucket at ten seconds of its rate, never below one identity burst', () => {
    expect(tenantBurst(6000, 10)).toBe(1000);
    expect(tenantBurst(60, 10)).toBe(10);
  });
});

describe('compileConfig: route rows restricted to methods', () => {
  const withRoutes = (rows: unknown[]) => ({
    routes: rows,
    services,
    tenants: [{ name: 'default', spec: {} }],
  });
  const issuesOf = (rows: unknown[]): string[] => {
    try {
      compileConfig(withRoutes(rows), 'test');
    } catch (err) {
      if (err instanceof ConfigValidationError) return err.issues;
      throw err;
    }
    return [];
  };

  it('routes GET and POST of one prefix to different services', () => {
    const config = compileConfig(
      withRoutes([
        { prefix: '/api/v1/execute', service: 'orchestration', methods: ['GET'] },
        { prefix: '/api/v1/execute', service: 'auth', methods: ['POST', 'PUT'] },
      ]),
      'test',
    );
    expect(config.routes.match('/api/v1/execute', 'GET')?.route.service).toBe('orchestration');
    expect(config.routes.match('/api/v1/execute', 'PUT')?.route.service).toBe('auth');
    expect(config.routes.allowedMethods('/api/v1/execute')).toEqual([
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'OPTIONS',
    ]);
  });

  it.each([
    [['get'], 'routes.0.methods.0: unknown method "get": must be one of GET, POST, PUT, PATCH, DELETE'],
    [['HEAD'], 'routes.0.methods.0: unknown method "HEAD"'],
    [['OPTIONS'], 'routes.0.methods.0: unknown method "OPTIONS"'],
    [['GET', 'GET'], 'routes.0.methods: must not name a method twice'],
    [[], 'routes.0.methods: Too small'],
  ])('refuses methods %j, naming the row', (methods, message) => {
    const issues = issuesOf([{ prefix: '/api/v1/auth', service: 'auth', methods }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(message);
  });

  it('refuses two rows of one prefix that both accept a method', () => {
    expect(
      issuesOf([
        { prefix: '/api/v1/auth', service: 'auth', methods: ['GET', 'POST'] },
        { prefix: '/api/v1/auth', service: 'orchestration', methods: ['POST'] },
      ]),
    ).toEqual(['routes.1.methods: duplicate route prefix /api/v1/auth for POST (routes.0 accepts it too)']);
  });

  it('keeps the last good configuration when a reload carries a bad method', () => {
    const holder = new ConfigHolder(pino({ level: 'silent' }));
    holder.document(withRoutes([{ prefix: '/api/v1/auth', service: 'auth', methods: ['POST'] }]), 'one');
    const good = holder.current()!;
    holder.document(withRoutes([{ prefix: '/api/v1/auth', service: 'auth', methods: ['FETCH'] }]), 'two');
    expect(holder.current()).toBe(good);
    expect(holder.lastError).toContain('routes.0.methods.0: unknown method "FETCH"');
  });
});

describe('ConfigHolder', () => {
  it('keeps the last good configuration when a new one is invalid', () => {
    const outcomes: string[] = [];
    const holder = new ConfigHolder(pino({ level: 'silent' }), { onReload: (o) => outcomes.push(o) });
    holder.document(doc([{ name: 'default', spec: {} }]), 'one');
    const good = holder.current()!;
    holder.document(
      doc([{ name: 'default', spec: { rateLimit: { requestsPerMinute: 1, burst: 2 } } }]),
      'two',
    );
    expect(holder.current()).toBe(good);
    expect(holder.lastError).toMatch(/burst/);
    holder.document(doc([{ name: 'default', spec: {} }]), 'three');
    expect(outcomes).toEqual(['applied', 'rejected', 'unchanged']);
  });
});

describe('readFileDocument', () => {
  it('reads AegisTenant resources as several YAML documents or a List', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-doc-'));
    const routesFile = path.join(dir, 'routes.yaml');
    const tenantsFile = path.join(dir, 'tenants.yaml');
    fs.writeFileSync(routesFile, JSON.stringify({ routes, services }));
    fs.writeFileSync(
      tenantsFile,
      [
        'apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: a }\nspec: {}',
        'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: aegis.io/v1alpha1\n    kind: AegisTenant\n    metadata: { name: b }\n    spec: { suspended: true }',
      ].join('\n---\n'),
    );
    const config = compileConfig(readFileDocument({ routesFile, tenantsFile }), 'file');
    expect([...config.tenants.keys()]).toEqual(['a', 'b']);
    expect(config.tenants.get('b')!.suspended).toBe(true);
    fs.writeFileSync(
      tenantsFile,
      'apiVersion: aegis.io/v1\nkind: AegisTenant\nmetadata: { name: a }\nspec: {}',
    );
    expect(() => readFileDocument({ routesFile, tenantsFile })).toThrow(/tenants\.yaml\[0\]\.apiVersion/);
  });

  it('takes the registry route table when no routes file is set', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-doc-'));
    const tenantsFile = path.join(dir, 'tenants.yaml');
    fs.writeFileSync(
      tenantsFile,
      'apiVersion: aegis.io/v1alpha1\nkind: AegisTenant\nmetadata: { name: a }\nspec: {}',
    );
    const config = compileConfig(readFileDocument({ routesFile: '', tenantsFile }), 'file');
    expect(config.routes.rows.length).toBe(defaultRouteTable().routes.length);
    expect(config.services.get('ingestion')?.href).toBe('http://127.0.0.1:8005/');
    expect(config.routes.match('/api/v1/ingest/jobs', 'GET')?.route.timeoutMs).toBe(900_000);
  });
});
