import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  ISO_DATE_PATTERN,
  openApiProblems,
  openStore,
  RESOURCE_ID_PATTERN,
} from '@aegis/common';
import { createTestTokenIssuer, type TestTokenIssuer } from '@aegis/testing';
import { createApp, type AppDeps } from '../app';
import { LABELS } from '../domain/labels';
import { migrateGraphStore, seedIfEmpty } from '../wiring';

type Operation = {
  security: unknown[];
  parameters?: { name: string; in: string; schema: { enum?: string[] } }[];
  responses: Record<string, unknown>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The served document is generated from the route declarations (no drift): it is well-formed, it
 * lists every path the hand-written one did, and every documented operation is really routed. */
/** The app on an in-memory store, answers checked against their declared schemas. */
async function start(options: Partial<AppDeps> & { seed?: boolean } = {}) {
  const store = await openStore({ url: 'sqlite::memory:' });
  const logger = createLogger({ service: 'kg-openapi-test', level: 'silent' });
  await migrateGraphStore(store);
  if (options.seed) await seedIfEmpty(store, logger, Date.UTC(2025, 5, 1));
  const app = createApp({
    store,
    verifier: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/unused' }),
    logger,
    metrics: createMetrics('kg-openapi-test'),
    checkResponses: true,
    ...options,
  });
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}

describe('GET /openapi.json (knowledge-graph)', () => {
  let service: Awaited<ReturnType<typeof start>>;
  let base: string;
  let doc: Document;

  beforeAll(async () => {
    service = await start();
    base = service.base;
    doc = (await (await fetch(`${base}/openapi.json`)).json()) as Document;
  });

  afterAll(() => service.close());

  it('is a well-formed OpenAPI 3.1 document, also under /graph for the gateway', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(openApiProblems(doc)).toEqual([]);
    expect(await (await fetch(`${base}/graph/openapi.json`)).json()).toEqual(doc);
  });

  it('keeps every path of the former hand-written document', () => {
    const former = [
      '/entities',
      '/entities/bulk',
      '/entities/{label}',
      '/entities/{label}/{entity_id}',
      '/entities/Well/{entity_id}/production',
      '/edges',
      '/edges/{label}/{entity_id}',
      '/edges/{edge_id}',
      '/graph/{label}/{entity_id}',
      '/impact/{label}/{entity_id}',
      '/impact/outward/{label}/{entity_id}',
      '/impact/inward/{label}/{entity_id}',
      '/impact/tree',
      '/query',
      '/query/templates',
      '/context/assemble/{well_api}',
      '/entity-types',
      '/entity-types/{key}',
      '/entity-types/{key}/fields',
      '/entity-types/{key}/fields/{name}',
      '/imports',
      '/imports/{id}/items',
      '/imports/{id}/commit',
      '/imports/{id}',
      '/seed',
    ];
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(former));
  });

  it('gives the label parameter its enum', () => {
    const label = doc.paths['/entities/{label}/{entity_id}'].get.parameters?.find((p) => p.name === 'label');
    expect(label?.schema.enum).toEqual([...LABELS]);
  });

  it('documents the id and date rules of README "API rules" as pattern, maxLength and format', () => {
    const entityId = doc.paths['/entities/{label}/{entity_id}'].get.parameters?.find(
      (p) => p.name === 'entity_id',
    );
    expect(entityId?.schema).toMatchObject({ pattern: RESOURCE_ID_PATTERN.source, maxLength: 200 });
    const asOf = doc.paths['/context/assemble/{well_api}'].get.parameters?.find((p) => p.name === 'as_of');
    expect(asOf?.schema).toMatchObject({ format: 'date', pattern: ISO_DATE_PATTERN.source });
  });

  it('routes every documented operation: 401 without a token unless public', async () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const concrete = path.replace(/\{label\}/g, 'Well').replace(/\{[^}]+\}/g, 'x1');
        const res = await fetch(`${base}${concrete}`, { method: method.toUpperCase() });
        expect(`${method} ${path} ${res.status}`).toBe(
          `${method} ${path} ${op.security.length === 0 ? 200 : 401}`,
        );
      }
    }
  });
});

describe('knowledge-graph answers match their documented schemas', () => {
  let issuer: TestTokenIssuer;
  let service: Awaited<ReturnType<typeof start>>;
  let token: string;

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    service = await start({ seed: true, verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }) });
    token = await issuer.sign({ roles: ['admin', 'platform_admin'], tenant_id: 'default' });
  });

  afterAll(async () => {
    await service.close();
    await issuer.close();
  });

  /** Calls the service as a platform admin; a body that does not match its schema is a 500. */
  const call = async (method: string, path: string, body?: unknown) => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await fetch(`${service.base}${path}`, { method, headers, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as unknown };
  };
  const expectStatus = async <T = unknown>(status: number, method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → ${status}`);
    return res.body as T;
  };

  it('reads: lists, entities, edges, walks, trees, templates, context', async () => {
    type Page = { data: { entity_id: string }[] };
    const wells = await expectStatus<Page>(200, 'GET', '/entities/Well?page_size=5');
    const well = wells.data[0].entity_id;
    const operators = await expectStatus<Page>(200, 'GET', '/entities/Operator?limit=1');
    for (const path of [
      `/entities/Well/${well}`,
      `/edges/Well/${well}?direction=out`,
      `/graph/Well/${well}?depth=2`,
      `/impact/Well/${well}`,
      `/impact/outward/Well/${well}`,
      `/impact/inward/Well/${well}`,
      '/impact/tree',
      '/query/templates',
      `/context/assemble/${well}`,
      '/entity-types',
    ])
      await expectStatus(200, 'GET', path);
    await expectStatus(200, 'POST', '/query', {
      template_id: 'wells_by_operator',
      params: { operator_id: operators.data[0].entity_id },
    });
  });

  it('writes: entities, production, edges, bulk, entity types, imports, seed', async () => {
    await expectStatus(201, 'POST', '/entities', {
      label: 'Operator',
      entity_id: 'op-doc',
      properties: { name: 'Doc' },
    });
    await expectStatus(201, 'POST', '/entities', {
      label: 'Well',
      properties: { api_number: '42-301-99999' },
    });
    await expectStatus(200, 'PUT', '/entities/Operator/op-doc', { properties: { name: 'Doc 2' } });
    await expectStatus(200, 'PUT', '/entities/Well/42-301-99999/production', {
      records: [{ period: '2025-01', oil_bbl: 10 }],
    });
    const edge = await expectStatus<{ edge_id: string }>(201, 'POST', '/edges', {
      from_label: 'Well',
      from_id: '42-301-99999',
      rel_type: 'OPERATED_BY',
      to_label: 'Operator',
      to_id: 'op-doc',
    });
    await expectStatus(204, 'DELETE', `/edges/${edge.edge_id}`);
    await expectStatus(200, 'POST', '/entities/bulk', {
      entities: [{ label: 'Field', entity_id: 'f-doc', properties: {} }],
    });
    await expectStatus(201, 'POST', '/entity-types', {
      key: 'Field',
      fields: [{ name: 'basin', type: 'string' }],
    });
    await expectStatus(200, 'GET', '/entity-types/Field');
    await expectStatus(200, 'PATCH', '/entity-types/Field', { display_name: 'Oil field' });
    await expectStatus(200, 'GET', '/entity-types/Field/fields');
    await expectStatus(201, 'POST', '/entity-types/Field/fields', { name: 'area', type: 'number' });
    await expectStatus(200, 'PUT', '/entity-types/Field/fields/area', { name: 'area', type: 'integer' });
    await expectStatus(204, 'DELETE', '/entity-types/Field/fields/area');
    await expectStatus(204, 'DELETE', '/entity-types/Field');
    const opened = await expectStatus<{ import_id: string }>(201, 'POST', '/imports');
    await expectStatus(200, 'POST', `/imports/${opened.import_id}/items`, {
      entities: [{ label: 'Field', entity_id: 'f-import', properties: {} }],
    });
    await expectStatus(200, 'POST', `/imports/${opened.import_id}/commit`);
    const discarded = await expectStatus<{ import_id: string }>(201, 'POST', '/imports');
    await expectStatus(204, 'DELETE', `/imports/${discarded.import_id}`);
    await expectStatus(204, 'DELETE', '/entities/Operator/op-doc');
    await expectStatus(200, 'POST', '/seed?tenant_id=acme', { anchor_date: '2025-06-01' });
    // A date the pattern allows but the calendar does not: a 422 (it was a 500).
    await expectStatus(422, 'POST', '/seed', { anchor_date: '2025-02-30' });
    await expectStatus(422, 'GET', '/context/assemble/x?as_of=2025-02-30');
  });
});
