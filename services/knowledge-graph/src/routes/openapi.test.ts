import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  openApiProblems,
  openStore,
  type Store,
} from '@aegis/common';
import { createApp } from '../app';
import { LABELS } from '../domain/labels';

type Operation = {
  security: unknown[];
  parameters?: { name: string; in: string; schema: { enum?: string[] } }[];
  responses: Record<string, unknown>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The served document is generated from the route declarations (no drift): it is well-formed, it
 * lists every path the hand-written one did, and every documented operation is really routed. */
describe('GET /openapi.json (knowledge-graph)', () => {
  let store: Store;
  let server: http.Server;
  let base: string;
  let doc: Document;

  beforeAll(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    const app = createApp({
      store,
      verifier: createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/unused' }),
      logger: createLogger({ service: 'kg-openapi-test', level: 'silent' }),
      metrics: createMetrics('kg-openapi-test'),
    });
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    doc = (await (await fetch(`${base}/openapi.json`)).json()) as Document;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

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
