import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMetrics } from '@aegis/common';
import { startRouteHarness, tempDir, type JsonAnswer, type RouteHarness } from '@aegis/testing';
import fc from 'fast-check';
import { createApp } from '../app';
import { freshTenant } from './__tests__/fixtures';
import { DirectImports } from './direct-import';
import { KG_MIGRATIONS } from './migrations';
import type { GraphDatabase, GraphStore } from './schema';

/** Imports on a SQLite file store, through the HTTP routes: applied batch by batch inside one write
 * transaction of their own, visible at the commit only, holding other writes until they end; the same
 * outcome as the staged path of an in-memory store. */

type Item = Record<string, unknown>;
type Key = [label: string, id: string];
interface Batch {
  entities?: Item[];
  edges?: Item[];
}

const ent = (label: string, entity_id: string, properties: Item = {}) => ({ label, entity_id, properties });
const edge = (
  [from_label, from_id]: Key,
  rel_type: string,
  [to_label, to_id]: Key,
  properties: Item = {},
) => ({ from_label, from_id, rel_type, to_label, to_id, properties });

const counts = (created: number, updated: number, edges_created: number, edges_updated: number) => ({
  created,
  updated,
  edges_created,
  edges_updated,
});
const closed = { status: 409, body: { code: 'import_closed' } };

type Service = RouteHarness<GraphDatabase> & { imports: DirectImports | undefined };

let dir: string;
beforeAll(() => {
  dir = tempDir('kg-direct');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const fileUrl = (name: string) => `sqlite:${path.join(dir, `${name}.db`)}`;

/** The service as main.ts wires it, on the store at `url`. */
async function startService(url: string, idleMs?: number): Promise<Service> {
  let imports: DirectImports | undefined;
  const harness = await startRouteHarness<GraphDatabase>({
    name: 'knowledge-graph',
    url,
    migrations: KG_MIGRATIONS,
    build: async ({ store, verifier, logger }) => {
      imports = await DirectImports.open(store, url, { idleMs });
      const metrics = createMetrics('kg-direct-test');
      return createApp({
        store: imports?.store ?? store,
        imports,
        verifier,
        logger,
        metrics,
        checkResponses: true,
      });
    },
  });
  harness.onClose(() => imports?.close());
  return Object.assign(harness, { imports });
}

/** Requests to `svc` as an operator of `tenant`. */
function client(svc: Service, tenant: string) {
  const call = (method: string, route: string, body?: unknown): Promise<JsonAnswer> =>
    svc.request({ user: 'loader', roles: ['operator'], tenant }, method, route, body);
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
  const sorted = <T extends { properties: string }>(rows: T[]) =>
    rows
      .map((r) => ({ ...r, properties: JSON.parse(r.properties) as Item }))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const entities = await store.db
    .selectFrom('kg_entities')
    .select(['label', 'entity_id', 'properties', 'latitude', 'longitude'])
    .where('tenant_id', '=', tenant)
    .execute();
  const edges = await store.db
    .selectFrom('kg_edges')
    .select(['from_label', 'from_id', 'rel_type', 'to_label', 'to_id', 'properties'])
    .where('tenant_id', '=', tenant)
    .execute();
  return { entities: sorted(entities), edges: sorted(edges) };
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
    expect(direct.imports).toBeInstanceOf(DirectImports);
    expect(staged.imports).toBeUndefined();
  });

  afterAll(async () => {
    await direct?.close();
    await staged?.close();
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

    const done = await c.commit(id);
    expect(done.body).toEqual(counts(3, 1, 3, 0));
    expect((await c.call('GET', '/entities/Operator/op-1')).body.properties).toEqual({ name: 'Acme' });
    expect((await c.call('GET', '/entities/Well')).body.total).toBe(2);
    expect((await c.call('GET', '/entities/Field/f-1')).body.properties).toEqual({
      name: 'Old',
      basin: 'Permian',
    });
    const into = (await c.call('GET', '/edges/Field/f-1?direction=in')).body.data as Item[];
    expect(into.map((e) => e.from_id).sort()).toEqual(['w-1', 'w-2']);
    expect(await c.commit(id)).toMatchObject(closed);
    expect(await importStatus(direct.store, id)).toBe('committed');
  });

  it('stores what the staged path stores for the same batches: re-uploads, repeated keys, API number forms', async () => {
    const tenant = freshTenant('same');
    const field = ['Field', 'f-pre'] as Key;
    const well = (id: string) => ['Well', id] as Key;
    const batches: Batch[] = [
      {
        entities: [
          ent('Operator', 'op-a', { name: 'A', n: 1 }),
          ent('Operator', 'op-a', { n: 2, extra: true }),
          ent('Well', '42-301-12345', { latitude: '31.5', longitude: -102, status: 'active' }),
          ent('Lease', 'l-1', { meta: { tracts: [1, 2.5e-7, 1e300] }, text: 'é\u2028"q"\u0000 🛢' }),
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
    const answers = [];
    for (const svc of [direct, staged]) {
      const c = client(svc, tenant);
      expect((await c.call('POST', '/entities', ent('Field', 'f-pre', { name: 'Pre' }))).status).toBe(201);
      const id = await c.open();
      for (const b of batches) expect((await c.items(id, b)).status).toBe(200);
      answers.push(await c.commit(id));
    }
    const expected = { status: 200, body: counts(3, 4, 3, 3) };
    expect(answers).toEqual([expected, expected]);
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
    const keys: Key[] = [
      ['Operator', 'o0'],
      ['Operator', 'o1'],
      ['Field', 'f0'],
      ['Well', '42-301-12345'],
      ['Well', '4230112345'],
    ];
    const value = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 4, unit: 'grapheme' }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const coordinate = fc.oneof(
      fc.double({ min: -90, max: 90, noNaN: true }),
      fc.constantFrom('12.5', '', 200),
    );
    const props = fc.record({ a: value, b: value, latitude: coordinate }, { requiredKeys: [] });
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
      { numRuns: 25 },
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
    const last = await c.items(id, {
      entities: [ent('Field', 'f-2')],
      edges: [edge(['Operator', 'op-1'], 'LOCATED_IN', ['Field', 'f-2'])],
    });
    expect(last.status).toBe(200);
    expect((await c.commit(id)).body).toEqual(counts(2, 0, 1, 0));
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
      expect(r).toMatchObject(closed);
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

  it('applies batches sent at once to an import that has not started yet', async () => {
    const c = client(direct, freshTenant('together'));
    const id = await c.open();
    const answers = await Promise.all(
      [0, 1, 2].map((i) => c.items(id, { entities: [ent('Operator', `o-${i}`)] })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await c.commit(id)).body).toEqual(counts(3, 0, 0, 0));
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
    expect(await upload()).toEqual(counts(3, 0, 2, 0));
    const once = await storedRows(direct.store, tenant);
    expect(await upload()).toEqual(counts(0, 3, 0, 2));
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
    expect((await a.commit(id)).body).toEqual(counts(1, 0, 0, 0));
    expect(await b.status('/entities/Operator/mine')).toBe(404);
    expect(await a.status('/entities/Operator/mine')).toBe(200);
  });
});

describe('imports on a SQLite file store: idle imports and restarts', () => {
  it('rolls back an import that receives nothing for idleMs, then lets the held write through', async () => {
    // Gaps of a fifth of idleMs: a loaded machine stretching them must not idle the import out.
    const svc = await startService(fileUrl('idle'), 1000);
    try {
      const c = client(svc, freshTenant('idle'));
      const id = await c.open();
      // Batches closer together than idleMs keep the import alive past idleMs.
      for (let i = 0; i < 8; i += 1) {
        expect((await c.items(id, { entities: [ent('Operator', `kept-${i}`)] })).status).toBe(200);
        await sleep(200);
      }
      // A write sent now waits for the import, which then idles out.
      expect((await c.call('POST', '/entities', ent('Operator', 'held'))).status).toBe(201);
      expect(await c.items(id, { entities: [ent('Operator', 'late')] })).toMatchObject(closed);
      expect(await c.commit(id)).toMatchObject(closed);
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
      expect(await c.items(lost, { entities: [ent('Operator', 'x')] })).toMatchObject(closed);
      expect(await c.commit(lost)).toMatchObject(closed);
      expect((await c.items(open, { entities: [ent('Operator', 'y')] })).status).toBe(200);
      expect((await c.commit(open)).body).toEqual(counts(1, 0, 0, 0));
    } finally {
      await after.close();
    }
  });
});
