import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createLogger,
  createMetrics,
  createTokenVerifier,
  openStore,
  type TokenVerifier,
} from '@aegis/common';
import {
  createTestTokenIssuer,
  jsonRequest,
  listen,
  tempDir,
  type JsonAnswer,
  type TestTokenIssuer,
} from '@aegis/testing';
import fc from 'fast-check';
import { createApp } from '../app';
import { migrateGraphStore } from '../wiring';
import { freshTenant } from './__tests__/fixtures';
import { DirectImports } from './direct-import';
import type { GraphDatabase, GraphStore } from './schema';

/** Imports on a SQLite file store, through the HTTP routes: applied batch by batch inside one write
 * transaction of their own, visible at the commit only, holding other writes until they end; the same
 * outcome as the staged path of an in-memory store. */

type Item = Record<string, unknown>;
interface Batch {
  entities?: Item[];
  edges?: Item[];
}

const ent = (label: string, entity_id: string, properties: Item = {}): Item => ({
  label,
  entity_id,
  properties,
});
const edge = (
  from: [string, string],
  rel_type: string,
  to: [string, string],
  properties: Item = {},
): Item => ({
  from_label: from[0],
  from_id: from[1],
  rel_type,
  to_label: to[0],
  to_id: to[1],
  properties,
});

interface Service {
  base: string;
  store: GraphStore;
  imports: DirectImports | undefined;
  close: () => Promise<void>;
}

let issuer: TestTokenIssuer;
let verifier: TokenVerifier;
let dir: string;
let services = 0;

beforeAll(async () => {
  issuer = await createTestTokenIssuer();
  verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  dir = tempDir('kg-direct');
});

afterAll(async () => {
  await issuer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The service as main.ts wires it, on the store at `url`. */
async function startService(url: string, idleMs?: number): Promise<Service> {
  const store = await openStore<GraphDatabase>({ url });
  await migrateGraphStore(store);
  const imports = await DirectImports.open(store, url, { idleMs });
  const app = createApp({
    store: imports?.store ?? store,
    imports,
    verifier,
    logger: createLogger({ service: 'kg-direct-test', level: 'silent' }),
    metrics: createMetrics(`kg_direct_test_${(services += 1)}`),
    checkResponses: true,
  });
  const server = await listen(app);
  return {
    base: server.url,
    store,
    imports,
    close: async () => {
      await server.close();
      await imports?.close();
      await store.close();
    },
  };
}

const fileUrl = (name: string) => `sqlite:${path.join(dir, `${name}.db`)}`;

/** Requests to `svc` as an operator of `tenant`. */
function client(svc: Service, tenant: string) {
  const call = async (method: string, route: string, body?: unknown): Promise<JsonAnswer> =>
    jsonRequest(`${svc.base}${route}`, method, {
      token: await issuer.sign({ roles: ['operator'], tenant_id: tenant }),
      body,
    });
  return {
    call,
    open: async (): Promise<string> => {
      const r = await call('POST', '/imports');
      expect(r.status).toBe(201);
      return r.body.import_id as string;
    },
    items: (id: string, batch: Batch) => call('POST', `/imports/${id}/items`, batch),
    commit: (id: string) => call('POST', `/imports/${id}/commit`),
    discard: (id: string) => call('DELETE', `/imports/${id}`),
    status: async (route: string) => (await call('GET', route)).status,
  };
}

/** What a tenant's graph holds, without ids or timestamps, in key order. */
async function storedRows(store: GraphStore, tenant: string) {
  const entities = await store.db
    .selectFrom('kg_entities')
    .select(['label', 'entity_id', 'properties', 'latitude', 'longitude'])
    .where('tenant_id', '=', tenant)
    .orderBy('label')
    .orderBy('entity_id')
    .execute();
  const edges = await store.db
    .selectFrom('kg_edges')
    .select(['from_label', 'from_id', 'rel_type', 'to_label', 'to_id', 'properties'])
    .where('tenant_id', '=', tenant)
    .orderBy('from_label')
    .orderBy('from_id')
    .orderBy('rel_type')
    .orderBy('to_label')
    .orderBy('to_id')
    .execute();
  const parsed = <T extends { properties: string }>(r: T) => ({
    ...r,
    properties: JSON.parse(r.properties) as Item,
  });
  return { entities: entities.map(parsed), edges: edges.map(parsed) };
}

const importStatus = async (store: GraphStore, id: string) =>
  (await store.db.selectFrom('kg_imports').select('status').where('import_id', '=', id).executeTakeFirst())
    ?.status;

describe('imports on a SQLite file store (applied as they arrive)', () => {
  let direct: Service;
  let staged: Service;

  beforeAll(async () => {
    direct = await startService(fileUrl('main'), 5000);
    staged = await startService('sqlite::memory:');
  });

  afterAll(async () => {
    await direct?.close();
    await staged?.close();
  });

  it('takes the direct path on a file store only', () => {
    expect(direct.imports).toBeInstanceOf(DirectImports);
    expect(staged.imports).toBeUndefined();
  });

  it('commits a multi-batch import at once: nothing of it is readable before the commit, all of it after', async () => {
    const c = client(direct, freshTenant('visible'));
    expect((await c.call('POST', '/entities', ent('Field', 'f-1', { name: 'Old' }))).status).toBe(201);
    const id = await c.open();
    const first = await c.items(id, {
      entities: [ent('Operator', 'op-1', { name: 'Acme' }), ent('Well', 'w-1'), ent('Well', 'w-2')],
    });
    expect(first).toEqual({ status: 200, body: { staged: 3 } });
    const second = await c.items(id, {
      entities: [ent('Field', 'f-1', { basin: 'Permian' })],
      edges: [
        edge(['Well', 'w-1'], 'OPERATED_BY', ['Operator', 'op-1']),
        edge(['Well', 'w-1'], 'LOCATED_IN', ['Field', 'f-1']),
        edge(['Well', 'w-2'], 'LOCATED_IN', ['Field', 'f-1'], { since: 2020 }),
      ],
    });
    expect(second).toEqual({ status: 200, body: { staged: 4 } });

    // While the import is open, reads see the graph as it was.
    expect(await c.status('/entities/Operator/op-1')).toBe(404);
    expect((await c.call('GET', '/entities/Well')).body.total).toBe(0);
    expect((await c.call('GET', '/entities/Field/f-1')).body.properties).toEqual({ name: 'Old' });
    expect((await c.call('GET', '/edges/Field/f-1')).body.total).toBe(0);

    expect(await c.commit(id)).toEqual({
      status: 200,
      body: { created: 3, updated: 1, edges_created: 3, edges_updated: 0 },
    });
    expect((await c.call('GET', '/entities/Operator/op-1')).body.properties).toEqual({ name: 'Acme' });
    expect((await c.call('GET', '/entities/Well')).body.total).toBe(2);
    expect((await c.call('GET', '/entities/Field/f-1')).body.properties).toEqual({
      name: 'Old',
      basin: 'Permian',
    });
    const into = await c.call('GET', '/edges/Field/f-1?direction=in');
    expect(into.body.data.map((e: Item) => [e.from_id, e.properties])).toEqual(
      expect.arrayContaining([
        ['w-1', {}],
        ['w-2', { since: 2020 }],
      ]),
    );
    expect(into.body.total).toBe(2);
    expect(await c.commit(id)).toMatchObject({ status: 409, body: { code: 'import_closed' } });
    expect(await importStatus(direct.store, id)).toBe('committed');
  });

  it('stores what the staged path stores for the same batches: re-uploads, repeated keys, API number forms', async () => {
    const tenant = freshTenant('same');
    const field = ['Field', 'f-pre'] as [string, string];
    const well = (id: string) => ['Well', id] as [string, string];
    const batches: Batch[] = [
      {
        entities: [
          ent('Operator', 'op-a', { name: 'A', n: 1 }),
          ent('Operator', 'op-a', { n: 2, extra: true }),
          ent('Well', '42-301-12345', { latitude: '31.5', longitude: -102, status: 'active' }),
          ent('Lease', 'l-1', { meta: { tracts: [1, 2], note: 'é\u2028"q"' } }),
        ],
      },
      {
        edges: [
          edge(well('4230112345'), 'OPERATED_BY', ['Operator', 'op-a'], { since: 2020 }),
          edge(well('42301123450000'), 'OPERATED_BY', ['Operator', 'op-a'], { since: 2021, note: 'x' }),
          edge(well('42-301-12345'), 'LOCATED_IN', field),
          edge(['Lease', 'l-1'], 'LOCATED_IN', field, { share: 0.125 }),
        ],
      },
      {
        entities: [
          ent('Operator', 'op-a', { name: 'A2' }),
          ent('Well', '42301123450000', { status: 'shut-in', latitude: 32 }),
          ent('Field', 'f-pre', { basin: 'Delaware' }),
        ],
        edges: [
          edge(well('4230112345'), 'OPERATED_BY', ['Operator', 'op-a'], { since: 2022 }),
          edge(['Lease', 'l-1'], 'LOCATED_IN', field, { share: null }),
        ],
      },
    ];
    const counts = [];
    for (const svc of [direct, staged]) {
      const c = client(svc, tenant);
      expect((await c.call('POST', '/entities', ent('Field', 'f-pre', { name: 'Pre' }))).status).toBe(201);
      const id = await c.open();
      for (const b of batches) expect((await c.items(id, b)).status).toBe(200);
      counts.push(await c.commit(id));
    }
    expect(counts[0]).toEqual({
      status: 200,
      body: { created: 3, updated: 4, edges_created: 3, edges_updated: 3 },
    });
    expect(counts[1]).toEqual(counts[0]);
    const rows = await storedRows(direct.store, tenant);
    expect(rows).toEqual(await storedRows(staged.store, tenant));
    expect(rows.entities).toContainEqual({
      label: 'Well',
      entity_id: '42301123450000',
      properties: { latitude: 32, longitude: -102, status: 'shut-in' },
      latitude: 32,
      longitude: -102,
    });
    expect(rows.entities).toContainEqual(
      expect.objectContaining({ entity_id: 'op-a', properties: { name: 'A2', n: 2, extra: true } }),
    );
    expect(rows.edges).toHaveLength(3);
    expect(rows.edges).toContainEqual(
      expect.objectContaining({ rel_type: 'OPERATED_BY', properties: { since: 2022, note: 'x' } }),
    );
  });

  it('stores what the staged path stores for any sequence of batches (property)', async () => {
    const keys: [string, string][] = [
      ['Operator', 'o0'],
      ['Operator', 'o1'],
      ['Field', 'f0'],
      ['Well', '42-301-12345'],
      ['Well', '4230112345'],
    ];
    const value = fc.oneof(
      fc.integer({ min: -90, max: 90 }),
      fc.double({ min: -90, max: 90, noNaN: true }),
      fc.string({ maxLength: 4 }),
      fc.boolean(),
      fc.constant(null),
    );
    const props = fc.dictionary(fc.constantFrom('a', 'b', 'latitude'), value, { maxKeys: 3 });
    const key = fc.constantFrom(...keys);
    const batch = fc.record({
      entities: fc.array(fc.tuple(key, props), { maxLength: 4 }),
      edges: fc.array(fc.tuple(key, fc.constantFrom('LINKS', 'OWNS'), key, props), { maxLength: 3 }),
    });
    const toBody = (b: typeof batch extends fc.Arbitrary<infer T> ? T : never): Batch => ({
      entities: b.entities.map(([[label, id], p]) => ent(label, id, p)),
      edges: b.edges.map(([from, rel, to, p]) => edge(from, rel, to, p)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 4 }), async (batches) => {
        const tenant = freshTenant('prop');
        const [d, s] = [client(direct, tenant), client(staged, tenant)];
        for (const c of [d, s])
          expect((await c.call('POST', '/entities', ent('Field', 'f0'))).status).toBe(201);
        const [dId, sId] = [await d.open(), await s.open()];
        let committed = false;
        try {
          for (const b of batches) {
            const [rd, rs] = [await d.items(dId, toBody(b)), await s.items(sId, toBody(b))];
            expect(rd.status).toBe(rs.status);
            if (rs.status !== 200) expect(rd.body.detail).toEqual(rs.body.detail);
          }
          const [cd, cs] = [await d.commit(dId), await s.commit(sId)];
          committed = true;
          expect(cd).toEqual(cs);
          expect(await storedRows(direct.store, tenant)).toEqual(await storedRows(staged.store, tenant));
        } finally {
          // A failed run must not leave the file store's write lock held for the next one.
          if (!committed) await Promise.all([d.discard(dId), s.discard(sId)]);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('refuses a batch with an edge to a missing entity, applying nothing of it, and keeps the other batches', async () => {
    const c = client(direct, freshTenant('refused'));
    const id = await c.open();
    expect((await c.items(id, { entities: [ent('Operator', 'op-1')] })).status).toBe(200);
    const refused = await c.items(id, {
      entities: [ent('Well', 'w-x'), ent('Field', 'f-x')],
      edges: [
        edge(['Well', 'w-x'], 'OPERATED_BY', ['Operator', 'op-1']),
        edge(['Well', 'w-x'], 'LOCATED_IN', ['Field', 'missing']),
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'validation_error',
      detail: [
        { loc: ['body', 'edges', 1, 'to_id'], msg: 'Field missing does not exist', type: 'not_found' },
      ],
    });
    // The refused batch's entities are not known to the import's later batches either.
    const later = await c.items(id, { edges: [edge(['Operator', 'op-1'], 'LOCATED_IN', ['Field', 'f-x'])] });
    expect(later.status).toBe(422);
    expect(later.body.detail).toEqual([
      { loc: ['body', 'edges', 0, 'to_id'], msg: 'Field f-x does not exist', type: 'not_found' },
    ]);
    expect(
      (
        await c.items(id, {
          entities: [ent('Field', 'f-2')],
          edges: [edge(['Operator', 'op-1'], 'LOCATED_IN', ['Field', 'f-2'])],
        })
      ).status,
    ).toBe(200);
    expect((await c.commit(id)).body).toEqual({ created: 2, updated: 0, edges_created: 1, edges_updated: 0 });
    expect(await c.status('/entities/Well/w-x')).toBe(404);
    expect(await c.status('/entities/Field/f-x')).toBe(404);
    expect((await c.call('GET', '/edges/Operator/op-1')).body.total).toBe(1);
  });

  it('discards an import: everything rolled back, later calls 409, other writes proceed', async () => {
    const c = client(direct, freshTenant('discard'));
    const id = await c.open();
    expect((await c.items(id, { entities: [ent('Operator', 'gone')] })).status).toBe(200);
    expect((await c.discard(id)).status).toBe(204);
    expect(await c.status('/entities/Operator/gone')).toBe(404);
    for (const r of [
      await c.items(id, { entities: [ent('Operator', 'x')] }),
      await c.commit(id),
      await c.discard(id),
    ])
      expect(r).toMatchObject({ status: 409, body: { code: 'import_closed' } });
    const started = Date.now();
    expect((await c.call('POST', '/entities', ent('Operator', 'after'))).status).toBe(201);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await c.status('/entities/Operator/x')).toBe(404);
  });

  it('holds another write until the import commits, then applies it; reads answer meanwhile', async () => {
    const c = client(direct, freshTenant('wait'));
    const id = await c.open();
    expect((await c.items(id, { entities: [ent('Operator', 'imported')] })).status).toBe(200);
    let written: JsonAnswer | undefined;
    const write = c.call('POST', '/entities', ent('Operator', 'waiting')).then((r) => (written = r));
    await sleep(300);
    const started = Date.now();
    expect((await c.call('GET', '/entities/Operator')).body.total).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(written).toBeUndefined();
    expect((await c.commit(id)).status).toBe(200);
    expect((await write).status).toBe(201);
    expect((await c.call('GET', '/entities/Operator')).body.total).toBe(2);
  });

  it('answers an idempotent re-upload with updates only, and keeps one row per key', async () => {
    const tenant = freshTenant('again');
    const c = client(direct, tenant);
    const batches: Batch[] = [
      { entities: [ent('Operator', 'o'), ent('Lease', 'l-1'), ent('Lease', 'l-2')] },
      {
        edges: [
          edge(['Lease', 'l-1'], 'OPERATED_BY', ['Operator', 'o']),
          edge(['Lease', 'l-2'], 'OPERATED_BY', ['Operator', 'o']),
        ],
      },
    ];
    const upload = async () => {
      const id = await c.open();
      for (const b of batches) expect((await c.items(id, b)).status).toBe(200);
      return (await c.commit(id)).body as unknown;
    };
    expect(await upload()).toEqual({ created: 3, updated: 0, edges_created: 2, edges_updated: 0 });
    const once = await storedRows(direct.store, tenant);
    expect(await upload()).toEqual({ created: 0, updated: 3, edges_created: 0, edges_updated: 2 });
    expect(await storedRows(direct.store, tenant)).toEqual(once);
  });

  it("answers 404 to another tenant's batch, commit and discard, before and while the import applies", async () => {
    const a = client(direct, freshTenant('owner'));
    const b = client(direct, freshTenant('other'));
    const id = await a.open();
    const batch = { entities: [ent('Operator', 'mine')] };
    expect(await b.items(id, batch)).toMatchObject({ status: 404, body: { code: 'import_not_found' } });
    expect((await a.items(id, batch)).status).toBe(200);
    for (const r of [await b.items(id, batch), await b.commit(id), await b.discard(id)])
      expect(r).toMatchObject({ status: 404, body: { code: 'import_not_found' } });
    expect((await a.commit(id)).body).toEqual({ created: 1, updated: 0, edges_created: 0, edges_updated: 0 });
    expect(await b.status('/entities/Operator/mine')).toBe(404);
    expect(await a.status('/entities/Operator/mine')).toBe(200);
  });
});

describe('imports on a SQLite file store: idle imports and restarts', () => {
  it('rolls back an import that receives nothing for idleMs, then lets the held write through', async () => {
    const svc = await startService(fileUrl('idle'), 400);
    try {
      const c = client(svc, freshTenant('idle'));
      const id = await c.open();
      // Batches closer together than idleMs keep the import alive past idleMs.
      for (let i = 0; i < 6; i += 1) {
        expect((await c.items(id, { entities: [ent('Operator', `kept-${i}`)] })).status).toBe(200);
        await sleep(100);
      }
      const write = c.call('POST', '/entities', ent('Operator', 'held'));
      expect((await write).status).toBe(201);
      expect(await c.items(id, { entities: [ent('Operator', 'late')] })).toMatchObject({
        status: 409,
        body: { code: 'import_closed' },
      });
      expect(await c.commit(id)).toMatchObject({ status: 409, body: { code: 'import_closed' } });
      expect(await importStatus(svc.store, id)).toBe('discarded');
      const operators = await c.call('GET', '/entities/Operator');
      expect(operators.body.data.map((e: Item) => e.entity_id)).toEqual(['held']);
    } finally {
      await svc.close();
    }
  });

  it('discards at start an import a previous process left applying; an open one still loads', async () => {
    const url = fileUrl('restart');
    const tenant = freshTenant('restart');
    const before = await startService(url);
    let lost: string;
    let open: string;
    try {
      const c = client(before, tenant);
      [lost, open] = [await c.open(), await c.open()];
      // What a process that died while `lost` was applying leaves: its status, and none of its rows.
      await before.store.db
        .updateTable('kg_imports')
        .set({ status: 'applying' })
        .where('import_id', '=', lost)
        .execute();
    } finally {
      await before.close();
    }
    const after = await startService(url);
    try {
      const c = client(after, tenant);
      expect(await importStatus(after.store, lost)).toBe('discarded');
      expect(await c.items(lost, { entities: [ent('Operator', 'x')] })).toMatchObject({
        status: 409,
        body: { code: 'import_closed' },
      });
      expect(await c.commit(lost)).toMatchObject({ status: 409, body: { code: 'import_closed' } });
      expect((await c.items(open, { entities: [ent('Operator', 'y')] })).status).toBe(200);
      expect((await c.commit(open)).body).toEqual({
        created: 1,
        updated: 0,
        edges_created: 0,
        edges_updated: 0,
      });
    } finally {
      await after.close();
    }
  });
});
