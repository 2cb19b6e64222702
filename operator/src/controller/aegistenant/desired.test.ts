import { configHash, GATEWAY_CONFIG_MAP, gatewayConfigDocumentSchema } from '@aegis/common';
import fc from 'fast-check';
import {
  evaluateTenants,
  gatewayConfigMap,
  gatewayDocument,
  stableJson,
  type TenantObject,
  tenantConfigMap,
} from './desired';
import { parseRoutesDocument } from './routes';

const routes = parseRoutesDocument(
  'services: { auth: { url: "http://127.0.0.1:8009" } }\nroutes: [{ prefix: /api/v1/auth, service: auth }]\n',
  'test',
);

const t = (
  name: string,
  spec: Record<string, unknown>,
  extra: Partial<TenantObject['metadata']> = {},
): TenantObject => ({
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisTenant',
  metadata: { name, generation: 1, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...extra },
  spec,
});

describe('evaluateTenants', () => {
  it('accepts valid specs and names the field of an invalid one', () => {
    const e = evaluateTenants([t('ok', {}), t('bad', { rateLimit: { requestsPerMinute: 5, burst: 9 } })]);
    expect(e.get('ok')).toMatchObject({ accepted: true, tenantId: 'ok' });
    expect(e.get('bad')).toMatchObject({ accepted: false, reason: 'InvalidSpec' });
    expect((e.get('bad') as { message: string }).message).toContain('spec.rateLimit.burst');
  });

  it('gives a tenant id to the oldest tenant that claims it', () => {
    const e = evaluateTenants([
      t('young', { tenantId: 'acme' }, { creationTimestamp: '2026-02-01T00:00:00Z' }),
      t('acme', {}, { creationTimestamp: '2026-01-01T00:00:00Z' }),
    ]);
    expect(e.get('acme')).toMatchObject({ accepted: true });
    expect(e.get('young')).toMatchObject({ accepted: false, reason: 'TenantIdConflict' });
  });

  it('lets a live tenant take the id of one being deleted', () => {
    const e = evaluateTenants([
      t('old', { tenantId: 'x' }, { deletionTimestamp: '2026-03-01T00:00:00Z' }),
      t('new', { tenantId: 'x' }, { creationTimestamp: '2026-03-02T00:00:00Z' }),
    ]);
    expect(e.get('new')).toMatchObject({ accepted: true });
  });
});

describe('gatewayDocument / gatewayConfigMap', () => {
  it('holds accepted, live tenants sorted by name with their generation and stored spec', () => {
    const tenants = [
      t('b', { suspended: true }, { generation: 4 }),
      t('a', {}),
      t('gone', {}, { deletionTimestamp: '2026-01-02T00:00:00Z' }),
      t('bad', { rateLimit: { burst: 0 } }),
    ];
    const doc = gatewayDocument(routes, tenants, evaluateTenants(tenants));
    expect(doc.tenants).toEqual([
      { name: 'a', generation: 1, spec: {} },
      { name: 'b', generation: 4, spec: { suspended: true } },
    ]);
  });

  it('writes a document the gateway accepts: the schema both sides import', () => {
    const tenants = [t('a', { config: { k: 'v' } }), t('b', { suspended: true, rateLimit: { burst: 0 } })];
    const { configMap } = gatewayConfigMap(
      'aegis-gateway-config',
      'aegis',
      gatewayDocument(routes, tenants, evaluateTenants(tenants)),
    );
    const written: unknown = JSON.parse(configMap.data![GATEWAY_CONFIG_MAP.documentKey]);
    expect(gatewayConfigDocumentSchema.safeParse(written).error).toBeUndefined();
    expect(written).toMatchObject({ tenants: [{ name: 'a' }] });
  });

  it('writes the hash the gateway computes from the parsed config.json, in data and annotation', () => {
    const tenants = [t('a', { config: { z: '1', a: '2' } })];
    const { configMap, hash } = gatewayConfigMap(
      'aegis-gateway-config',
      'aegis',
      gatewayDocument(routes, tenants, evaluateTenants(tenants)),
    );
    expect(configHash(JSON.parse(configMap.data!['config.json']))).toBe(hash);
    expect(configMap.data!.hash).toBe(hash);
    expect(configMap.metadata.annotations!['aegis.io/config-hash']).toBe(hash);
  });

  it('is the same document, byte for byte, whatever the order of the tenants and their keys', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (names, seed) => {
          const tenants = names.map((n, i) =>
            t(n, { displayName: `T${i}`, rateLimit: { requestsPerMinute: 10 + i, burst: 1 } }),
          );
          const shuffled = [...tenants].sort(
            (x, y) => ((x.metadata.name.length * seed) % 7) - ((y.metadata.name.length * seed) % 7),
          );
          const reordered = shuffled.map((x) => ({
            ...x,
            spec: Object.fromEntries(Object.entries(x.spec as object).reverse()),
          }));
          const a = gatewayConfigMap('g', 'ns', gatewayDocument(routes, tenants, evaluateTenants(tenants)));
          const b = gatewayConfigMap(
            'g',
            'ns',
            gatewayDocument(routes, reordered, evaluateTenants(reordered)),
          );
          expect(b.configMap.data).toEqual(a.configMap.data);
        },
      ),
    );
  });
});

describe('tenantConfigMap', () => {
  it('is named after the tenant id and owned by the tenant', () => {
    const tenant = t('acme', {});
    const cm = tenantConfigMap(
      tenant,
      'acme-id',
      {
        suspended: false,
        rateLimit: { requestsPerMinute: 1, burst: 1, failurePolicy: 'Open', routes: [] },
        services: ['auth'],
        config: { k: 'v' },
      },
      'aegis',
    );
    expect(cm.metadata.name).toBe('aegis-tenant-acme-id');
    expect(cm.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisTenant',
        name: 'acme',
        uid: 'uid-acme',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(JSON.parse(cm.data!['config.json'])).toEqual({ k: 'v' });
    expect(cm.metadata.labels!['aegis.io/tenant']).toBe('acme-id');
  });
});

describe('stableJson', () => {
  it('sorts keys', () =>
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe(
      '{\n  "a": {\n    "c": 2,\n    "d": 1\n  },\n  "b": 1\n}\n',
    ));
});

describe('parseRoutesDocument', () => {
  it('refuses a route to a service without an address', () => {
    expect(() =>
      parseRoutesDocument('services: {}\nroutes: [{ prefix: /api/v1/auth, service: auth }]', 'f.yaml'),
    ).toThrow(/f.yaml: invalid routes file: routes.0.service: no address for service auth/);
  });

  it('keeps route rows restricted to methods, and refuses an unknown or lower-case method naming the row', () => {
    const services = 'services: { auth: { url: "http://a:1" }, approvals: { url: "http://b:1" } }';
    const ok = parseRoutesDocument(
      `${services}\nroutes: [{ prefix: /api/v1/a, service: auth, methods: [POST] }, { prefix: /api/v1/a, service: approvals, methods: [GET] }]`,
      'f.yaml',
    );
    expect(ok.routes.map((r) => r.methods)).toEqual([['POST'], ['GET']]);
    expect(() =>
      parseRoutesDocument(
        `${services}\nroutes: [{ prefix: /api/v1/a, service: auth, methods: [get] }]`,
        'f.yaml',
      ),
    ).toThrow(
      'f.yaml: invalid routes file: routes.0.methods.0: unknown method "get": must be one of GET, POST, PUT, PATCH, DELETE',
    );
    expect(() =>
      parseRoutesDocument(
        `${services}\nroutes: [{ prefix: /api/v1/a, service: auth }, { prefix: /api/v1/a, service: approvals, methods: [DELETE] }]`,
        'f.yaml',
      ),
    ).toThrow(
      'f.yaml: invalid routes file: routes.1.methods: duplicate route prefix /api/v1/a for DELETE (routes.0 accepts it too)',
    );
  });
});
