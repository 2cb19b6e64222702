import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  openApiProblems,
  openStore,
  type Store,
} from '@aegis/common';
import type { EntityView } from '@aegis/graph-client';
import { createFakeGraphClient, type FakeGraphClient } from '@aegis/graph-client/testing';
import { createTestTokenIssuer, listen, type Listening, type TestTokenIssuer } from '@aegis/testing';
import { createApp } from '../app';
import { COMPLIANCE_MIGRATIONS } from '../store/migrations';

type Document = { openapi: string; paths: Record<string, Record<string, { security: unknown[] }>> };

const WELL = '42317300010000';

/** The fake graph's answers to the two query templates the service uses. */
function withTemplates(kg: FakeGraphClient): FakeGraphClient {
  const entity = (tenant: string, label: string, id: string): EntityView | undefined =>
    kg.entities(tenant, label).find((e) => e.entity_id === id);
  kg.templates.wells_by_operator = (p, tenant) =>
    kg
      .edges(tenant, 'OPERATED_BY')
      .filter((e) => e.from_label === 'Well' && e.to_id === p.operator_id)
      .map((e) => entity(tenant, 'Well', e.from_id)!);
  kg.templates.connected_by_path = (p, tenant) => {
    let at = [{ label: p.label as string, id: p.entity_id as string }];
    for (const step of p.path as { rel_type: string; direction: 'in' | 'out' }[]) {
      const edges = kg.edges(tenant, step.rel_type);
      at = at.flatMap((n) =>
        step.direction === 'in'
          ? edges
              .filter((e) => e.to_label === n.label && e.to_id === n.id)
              .map((e) => ({ label: e.from_label, id: e.from_id }))
          : edges
              .filter((e) => e.from_label === n.label && e.from_id === n.id)
              .map((e) => ({ label: e.to_label, id: e.to_id })),
      );
    }
    return at.filter((n) => n.label === p.target_label).map((n) => entity(tenant, n.label, n.id)!);
  };
  return kg;
}

describe('compliance-monitor OpenAPI document and answers', () => {
  let issuer: TestTokenIssuer;
  let store: Store;
  let server: Listening;
  let doc: Document;
  let token: string;

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    store = await openStore({ url: 'sqlite::memory:' });
    await store.migrate('compliance-monitor', COMPLIANCE_MIGRATIONS);
    const kg = withTemplates(createFakeGraphClient());
    await kg.bulk('default', {
      entities: [
        { label: 'Operator', entity_id: 'OP-1', properties: { name: 'Op' } },
        { label: 'Formation', entity_id: 'FM-1', properties: {} },
        {
          label: 'Well',
          entity_id: WELL,
          properties: { status: 'active', production: [{ period: '2026-06', oil_bbl: 0, gas_mcf: 0 }] },
        },
        {
          label: 'ComplianceDeadline',
          entity_id: 'DL-1',
          properties: { title: 'PR', due_date: '2026-06-25' },
        },
      ],
      edges: [
        {
          from_label: 'Well',
          from_id: WELL,
          rel_type: 'OPERATED_BY',
          to_label: 'Operator',
          to_id: 'OP-1',
          properties: {},
        },
        {
          from_label: 'Well',
          from_id: WELL,
          rel_type: 'PRODUCES_FROM',
          to_label: 'Formation',
          to_id: 'FM-1',
          properties: {},
        },
        {
          from_label: 'ComplianceDeadline',
          from_id: 'DL-1',
          rel_type: 'APPLIES_TO',
          to_label: 'Well',
          to_id: WELL,
          properties: {},
        },
      ],
    });
    const app = createApp({
      store,
      kg,
      verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
      logger: createLogger({ service: 'compliance-openapi-test', level: 'silent' }),
      metrics: createMetrics('compliance-openapi-test'),
      checkResponses: true,
      now: () => Date.parse('2026-06-20T12:00:00Z'),
    });
    server = await listen(app);
    doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as Document;
    token = await issuer.sign({ roles: ['viewer'], tenant_id: 'default' });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    await issuer.close();
  });

  it('is a well-formed OpenAPI 3.1 document listing the five endpoints', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(openApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/compliance/deadlines',
        '/compliance/production',
        '/compliance/rule-changes',
        '/compliance/risk-score',
        '/compliance/dashboard/{operator_id}',
      ]),
    );
  });

  it('routes every documented operation: 401 without a token unless public', async () => {
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const res = await fetch(`${server.url}${path.replace(/\{[^}]+\}/g, 'x1')}`, {
          method: method.toUpperCase(),
        });
        expect(`${method} ${path} ${res.status}`).toBe(
          `${method} ${path} ${op.security.length === 0 ? 200 : 401}`,
        );
      }
  });

  it.each([
    ['POST', '/compliance/deadlines', {}],
    ['POST', '/compliance/production', { well_ids: [WELL] }],
    ['POST', '/compliance/rule-changes', { formation_id: 'FM-1' }],
    ['POST', '/compliance/risk-score', { operator_id: 'OP-1' }],
    ['GET', '/compliance/dashboard/OP-1', undefined],
  ])('%s %s answers what its schema documents', async (method, path, body) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBe(200); // checkResponses turns an undocumented answer into a 500
    const answer = (await res.json()) as { total?: number; counts?: unknown };
    expect(answer).toBeDefined();
  });
});
