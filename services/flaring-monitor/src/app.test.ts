import { createLogger, createMetrics, createTokenVerifier, openApiProblems, openStore } from '@aegis/common';
import { createFakeGraphClient, type FakeGraphClient } from '@aegis/graph-client/testing';
import { createTestTokenIssuer, listen, type Listening, type TestTokenIssuer } from '@aegis/testing';
import { createApp } from './app';
import { assessTenant } from './flaring/assess';
import { FLARING_MIGRATIONS } from './store/migrations';
import type { FlaringStore } from './store/schema';

/** The app in process on SQLite in memory and the knowledge-graph fake, every answer checked against
 * its declared schema; the fake's query templates follow the graph's (connected_by_path and friends). */
function withTemplates(kg: FakeGraphClient): FakeGraphClient {
  kg.templates.connected_by_path = (params, tenant) => {
    const p = params as {
      label: string;
      entity_id: string;
      path: { rel_type: string; direction: string }[];
      target_label?: string;
    };
    let at = [{ label: p.label, id: p.entity_id }];
    for (const step of p.path) {
      const next: { label: string; id: string }[] = [];
      for (const e of kg.edges(tenant, step.rel_type))
        for (const n of at) {
          if (step.direction !== 'in' && e.from_label === n.label && e.from_id === n.id)
            next.push({ label: e.to_label, id: e.to_id });
          if (step.direction !== 'out' && e.to_label === n.label && e.to_id === n.id)
            next.push({ label: e.from_label, id: e.from_id });
        }
      at = next;
    }
    return kg
      .entities(tenant)
      .filter((e) => at.some((n) => n.label === e.label && n.id === e.entity_id))
      .filter((e) => !p.target_label || e.label === p.target_label);
  };
  kg.templates.authorizations_expiring = (params, tenant) => {
    const { as_of: asOf } = params as { as_of: string };
    return kg
      .entities(tenant, 'FlaringAuthorization')
      .filter((e) => String(e.properties.expiry_date) >= asOf);
  };
  kg.templates.wells_spudded_after = (params, tenant) =>
    kg
      .entities(tenant, 'Well')
      .filter(
        (e) =>
          ((e.properties.spud_date as string | undefined) ?? '') > String((params as { date: string }).date),
      );
  return kg;
}

const W1 = '42329300010000';
const W2 = '42329300020000';

describe('flaring-monitor in process (fake knowledge graph)', () => {
  let issuer: TestTokenIssuer;
  let store: FlaringStore;
  let kg: FakeGraphClient;
  let server: Listening;
  let token: string;
  let other: string;

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    store = await openStore({ url: 'sqlite::memory:' });
    await store.migrate('flaring-monitor', FLARING_MIGRATIONS);
    kg = withTemplates(createFakeGraphClient());
    token = await issuer.sign({ roles: ['operator'], tenant_id: 'default' });
    other = await issuer.sign({ roles: ['operator'], tenant_id: 'acme' });
    await kg.bulk(token, {
      entities: [
        { label: 'Well', entity_id: W1, properties: { spud_date: '2019-01-01' } },
        { label: 'Well', entity_id: W2, properties: { spud_date: '2022-01-01' } },
        {
          label: 'FlaringAuthorization',
          entity_id: 'R32-1',
          properties: {
            status: 'approved',
            effective_date: '2026-01-01',
            expiry_date: '2026-06-30',
            max_volume_mcf_per_day: 100,
          },
        },
      ],
      edges: [
        {
          from_label: 'FlaringAuthorization',
          from_id: 'R32-1',
          rel_type: 'AUTHORIZES',
          to_label: 'Well',
          to_id: W1,
        },
      ],
    });
    const app = createApp({
      store,
      kg,
      verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
      logger: createLogger({ service: 'flaring-test', level: 'silent' }),
      metrics: createMetrics('flaring-test'),
      checkResponses: true,
      now: () => Date.UTC(2026, 1, 1),
    });
    server = await listen(app);
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    await issuer.close();
  });

  const call = async (method: string, path: string, body?: unknown, as = token) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  it('serves a well-formed document; every documented operation is routed (401 without a token)', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(openApiProblems(doc)).toEqual([]);
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'post /flare-events',
        'get /flare-events',
        'get /flare-events/{id}',
        'patch /flare-events/{id}',
        'delete /flare-events/{id}',
        'post /flare-events/{id}/correlate',
        'post /flaring/assess',
        'post /flaring/validate',
        'post /flaring/emissions',
        'get /flaring/burn-rate',
        'post /flaring/forecast',
        'post /flaring/ingest',
      ]),
    );
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const concrete = path.replace('{id}', 'fe-00000000-0000-0000-0000-000000000000');
        const res = await fetch(`${server.url}${concrete}`, { method: method.toUpperCase() });
        expect(`${method} ${path} ${res.status}`).toBe(
          `${method} ${path} ${op.security.length === 0 ? 200 : 401}`,
        );
      }
  });

  it('ingest reads each well and its authorisations once per batch, and is idempotent per reading', async () => {
    const reading = (i: number) => ({
      reading_id: `r-${i}`,
      well_id: W1,
      start_time: `2026-01-2${i}T00:00:00Z`,
      end_time: `2026-01-2${i}T01:00:00Z`,
      volume_mcf: 0,
    });
    const before = kg.calls.length;
    const r = await call('POST', '/flaring/ingest', { readings: [reading(1), reading(2), reading(3)] });
    expect(r.body).toMatchObject({ created: 3, unchanged: 0, rejected: 0 });
    // One well read and the two authorisation paths (direct, lease), not three of each.
    expect(kg.calls.slice(before).map((c) => c.method)).toEqual(['getEntity', 'query', 'query']);
    expect((await call('POST', '/flaring/ingest', { readings: [reading(1)] })).body).toMatchObject({
      unchanged: 1,
    });
    for (const i of [1, 2, 3]) {
      const { body } = await call(
        'GET',
        `/flare-events?authorization_id=R32-1&from=2026-01-2${i}T00:00:00Z&to=2026-01-2${i}T00:30:00Z`,
      );
      await call('DELETE', `/flare-events/${String((body?.data as { event_id: string }[])[0].event_id)}`);
    }
  });

  it('answers match their schemas; assessTenant gives the sweep the alerts in the contract shape', async () => {
    const e1 = await call('POST', '/flare-events', {
      well_id: W1,
      start_time: '2026-01-10T00:00:00Z',
      end_time: '2026-01-10T01:00:00Z',
      volume_mcf: 15_000,
    });
    expect(e1.status).toBe(201);
    expect(e1.body?.authorization_id).toBe('R32-1');
    expect(
      (
        await call('POST', '/flare-events', {
          well_id: W2,
          start_time: '2026-01-11T00:00:00Z',
          end_time: '2026-01-11T01:00:00Z',
          volume_mcf: 5,
        })
      ).status,
    ).toBe(201);
    expect((await call('GET', '/flare-events?sort_by=volume_mcf&sort_dir=asc')).body?.total).toBe(2);
    expect((await call('GET', `/flare-events/${String(e1.body?.event_id)}`)).status).toBe(200);
    for (const [path, body] of [
      ['/flaring/assess', { as_of: '2026-02-01' }],
      ['/flaring/emissions', { volume_mcf: 1000, disposition: '11' }],
      ['/flaring/emissions', { well_id: W1 }],
      ['/flaring/forecast', { well_id: W1, as_of: '2026-01-12' }],
      ['/flaring/validate', {}],
    ] as const)
      expect(`${path} ${(await call('POST', path, body)).status}`).toBe(`${path} 200`);
    expect((await call('GET', `/flaring/burn-rate?well_id=${W1}&as_of=2026-01-12`)).status).toBe(200);

    const assessment = await assessTenant(
      { store, kg, now: () => Date.UTC(2026, 1, 1) },
      { token, tenantId: 'default' },
    );
    expect(assessment.alerts.map((a) => [a.code, a.level, a.entity.id])).toEqual([
      ['volume_80pct', 'warning', 'R32-1'], // 15,000 of 18,000 mcf = 83.3 %
      ['unauthorized_flaring', 'critical', W2],
      ['oooob_applicable', 'info', W2],
    ]);
    for (const a of assessment.alerts)
      expect(Object.keys(a).sort()).toEqual([
        'code',
        'data',
        'dedupe_key',
        'entity',
        'level',
        'message',
        'rule',
      ]);
    const acme = await assessTenant(
      { store, kg, now: () => Date.UTC(2026, 1, 1) },
      { token: other, tenantId: 'acme' },
    );
    expect(acme.alerts).toEqual([]);
  });
});
