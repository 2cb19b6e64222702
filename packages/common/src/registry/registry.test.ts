import { gatewayRoutesSchema } from '../gateway-config';
import { defaultRouteTable, GATEWAY, implementedServices, isServiceName } from './index';
import { SERVICE_NAMES, SERVICES, serviceByName } from './index';

describe('the service registry', () => {
  it('lists the eight services of spec/api.md §1 on their contract ports', () => {
    expect(Object.fromEntries(SERVICES.map((s) => [s.name, s.port]))).toEqual({
      auth: 8009,
      orchestration: 8001,
      memory: 8002,
      'knowledge-graph': 8003,
      approvals: 8004,
      ingestion: 8005,
      'compliance-monitor': 8006,
      'flaring-monitor': 8007,
    });
    expect(SERVICE_NAMES).toEqual(SERVICES.map((s) => s.name));
  });

  it('gives every service a distinct port and admin port (port + 1000), apart from the gateway', () => {
    const ports = [GATEWAY.port, GATEWAY.adminPort, ...SERVICES.flatMap((s) => [s.port, s.adminPort])];
    expect(new Set(ports).size).toBe(ports.length);
    for (const s of SERVICES) expect(s.adminPort).toBe(s.port + 1000);
  });

  it('derives workspace, package and entry point from the name', () => {
    expect(serviceByName('knowledge-graph')).toMatchObject({
      workspace: 'services/knowledge-graph',
      packageName: '@aegis/knowledge-graph',
      entry: 'services/knowledge-graph/dist/main.js',
    });
    expect(GATEWAY.entry).toBe(`${GATEWAY.workspace}/dist/main.js`);
  });

  it('marks the internal service as the one without routes', () => {
    expect(SERVICES.filter((s) => s.internal).map((s) => s.name)).toEqual(['memory']);
    for (const s of SERVICES) expect(s.routes.length === 0).toBe(s.internal);
  });

  it('says which services are implemented', () => {
    expect(implementedServices().map((s) => s.name)).toEqual([
      'auth',
      'orchestration',
      'memory',
      'knowledge-graph',
      'approvals',
      'ingestion',
      'compliance-monitor',
      'flaring-monitor',
    ]);
  });

  it('finds a service by name and refuses an unknown one', () => {
    expect(serviceByName('auth').port).toBe(8009);
    expect(() => serviceByName('billing')).toThrow(/unknown service "billing"/);
    expect(isServiceName('memory')).toBe(true);
    expect(isServiceName('gateway')).toBe(false);
  });
});

describe('defaultRouteTable', () => {
  const table = defaultRouteTable();

  it('addresses every service, planned ones too, on loopback by default', () => {
    expect(Object.keys(table.services)).toEqual([...SERVICE_NAMES]);
    expect(table.services.auth).toEqual({ url: 'http://127.0.0.1:8009' });
    expect(table.services.memory).toEqual({ url: 'http://127.0.0.1:8002' });
  });

  it('has one row per owned prefix, each prefix once, under /api/v1', () => {
    const prefixes = table.routes.map((r) => r.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(prefixes.length).toBe(SERVICES.reduce((n, s) => n + s.routes.length, 0));
    for (const p of prefixes) expect(p).toMatch(/^\/api\/v1(\/[a-z-]+)+$/);
  });

  it('routes the spec table: the legacy compliance API to the monitor, the rest of it to orchestration', () => {
    const owner = (prefix: string) => table.routes.find((r) => r.prefix === prefix)?.service;
    expect(owner('/api/v1/compliance')).toBe('orchestration');
    expect(owner('/api/v1/compliance/deadlines')).toBe('compliance-monitor');
    expect(owner('/api/v1/events')).toBe('flaring-monitor');
    expect(owner('/api/v1/auth')).toBe('auth');
    expect(table.routes.some((r) => r.service === 'memory')).toBe(false);
  });

  it('restricts the monitor’s compliance/deadlines row to POST: GET there is the orchestration’s list', () => {
    expect(table.routes.find((r) => r.prefix === '/api/v1/compliance/deadlines')).toEqual({
      prefix: '/api/v1/compliance/deadlines',
      service: 'compliance-monitor',
      methods: ['POST'],
    });
    expect(table.routes.filter((r) => r.methods !== undefined)).toHaveLength(1);
    expect(gatewayRoutesSchema.safeParse(table).success).toBe(true);
  });

  it('keeps per-prefix options: uploads wait 15 minutes, agent runs 5, other rows take the gateway default', () => {
    expect(table.routes.find((r) => r.prefix === '/api/v1/ingest')).toEqual({
      prefix: '/api/v1/ingest',
      service: 'ingestion',
      timeoutMs: 900_000,
    });
    expect(table.routes.find((r) => r.prefix === '/api/v1/execute')).toEqual({
      prefix: '/api/v1/execute',
      service: 'orchestration',
      timeoutMs: 300_000,
    });
    expect(table.routes.filter((r) => r.timeoutMs !== undefined)).toHaveLength(2);
  });

  it('takes the service addresses from the caller (in-cluster Services)', () => {
    const cluster = defaultRouteTable({ serviceUrl: (s) => `http://aegis-${s.name}.ns.svc:${s.port}` });
    expect(cluster.services['flaring-monitor']).toEqual({ url: 'http://aegis-flaring-monitor.ns.svc:8007' });
    expect(cluster.routes).toEqual(table.routes);
  });

  it('returns a fresh document each time', () => {
    defaultRouteTable().routes.pop();
    expect(defaultRouteTable().routes).toEqual(table.routes);
  });
});
