import { sql } from '@aegis/common';
import { describeOnBothStores, describeWithPostgres } from '@aegis/testing';
import { prepareBatch, type BatchBody } from './batch';
import { getEntity } from './entities';
import { commitImport, createImport, stageItems } from './imports';
import type { GraphStore } from './schema';
import { countRows, freshTenant, NOW } from './__tests__/fixtures';
import { migratedGraphStore } from './__tests__/memory-store';

/** The PostgreSQL import path (ADR 0031): packed rows of new items go in with a plain INSERT under a
 * savepoint, anything else takes the general path; results are those of the general path, on both
 * stores. */

const wells = (ids: readonly number[], extra: Record<string, unknown> = {}) =>
  ids.map((i) => ({ label: 'Well' as const, entity_id: `W-${i}`, properties: { n: i, ...extra } }));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const operatedBy = (ids: readonly number[], operator: string, properties: Record<string, unknown> = {}) =>
  ids.map((i) => ({
    from_label: 'Well' as const,
    from_id: `W-${i}`,
    rel_type: 'OPERATED_BY',
    to_label: 'Operator' as const,
    to_id: operator,
    properties,
  }));

async function stageAll(store: GraphStore, t: string, bodies: BatchBody[]): Promise<string> {
  const id = await createImport(store, t, NOW);
  for (const body of bodies) await stageItems(store, t, id, await prepareBatch(store, t, body), NOW);
  return id;
}

const count = (store: GraphStore, table: 'kg_entities' | 'kg_edges', t: string) =>
  countRows(store, table, 'tenant_id', t);

describeOnBothStores('import commit: new rows first, then the general path', 'kg-pg-path.db', (url) => {
  const getStore = migratedGraphStore(url);

  it('keeps the rows inserted before a row that meets stored items, and merges that row and the rest', async () => {
    const store = getStore();
    const t = freshTenant('partial');
    // GIVEN wells 0..999 and their edges stored by an earlier import
    await commitImport(
      store,
      t,
      await stageAll(store, t, [
        {
          entities: [{ label: 'Operator', entity_id: 'op', properties: {} }, ...wells(range(0, 1000))],
          edges: operatedBy(range(0, 1000), 'op', { since: 1 }),
        },
      ]),
      NOW,
    );
    // WHEN an import stages new wells first (one packed row), then wells that exist, then new ones
    const id = await stageAll(store, t, [
      { entities: wells(range(2000, 3000)), edges: [] },
      { entities: wells(range(500, 1500), { again: true }), edges: [] },
      { entities: wells(range(3000, 3100)), edges: [] },
      { entities: [], edges: operatedBy(range(2000, 3000), 'op') },
      { entities: [], edges: operatedBy(range(900, 1100), 'op', { until: 2 }) },
    ]);
    // THEN the counts are those of applying every item one after the other
    expect(await commitImport(store, t, id, NOW)).toEqual({
      created: 1000 + 500 + 100,
      updated: 500,
      edges_created: 1000 + 100,
      edges_updated: 100,
    });
    expect(await count(store, 'kg_entities', t)).toBe(1 + 1500 + 1100);
    expect(await count(store, 'kg_edges', t)).toBe(2100);
    expect((await getEntity(store, t, 'Well', 'W-700'))?.properties).toEqual({ n: 700, again: true });
    expect((await getEntity(store, t, 'Well', 'W-2999'))?.properties).toEqual({ n: 2999 });
    const { rows } = await sql<{ from_id: string; properties: string }>`SELECT from_id, properties
FROM kg_edges WHERE tenant_id = ${t} AND from_id IN ('W-950', 'W-1050', 'W-2500') ORDER BY from_id`.execute(
      store.db,
    );
    expect(rows.map((r) => [r.from_id, JSON.parse(r.properties) as unknown])).toEqual([
      ['W-1050', { until: 2 }],
      ['W-2500', {}],
      ['W-950', { since: 1, until: 2 }],
    ]);
  });

  it('stores properties with tabs, newlines, backslashes, quotes and non-ASCII text exactly', async () => {
    const store = getStore();
    const t = freshTenant('escapes');
    const awkward = {
      tab: 'a\tb',
      lines: 'one\ntwo\r\nthree',
      backslash: 'C:\\wells\\N',
      copyish: '\\.\n\\N\t|',
      quotes: `"double" and 'single'`,
      nul: 'before\u0000after',
      unicode: 'Ñandú, Zürich, 油井, 🛢️',
      nested: { list: [1, 'x\ty', null], deep: { s: '\\"' } },
      big: Number.MAX_SAFE_INTEGER,
      small: 0.30000000000000004,
    };
    const id = await stageAll(store, t, [
      {
        entities: [
          { label: 'Operator', entity_id: 'op-"1"', properties: awkward },
          { label: 'Well', entity_id: 'W-ü', properties: {} },
        ],
        edges: operatedBy([0], 'op-"1"', awkward).map((e) => ({ ...e, from_id: 'W-ü' })),
      },
    ]);
    expect(await commitImport(store, t, id, NOW)).toMatchObject({ created: 2, edges_created: 1 });
    const expected = JSON.parse(JSON.stringify(awkward)) as unknown;
    expect((await getEntity(store, t, 'Operator', 'op-"1"'))?.properties).toEqual(expected);
    const edge = await store.db
      .selectFrom('kg_edges')
      .select(['from_id', 'properties'])
      .where('tenant_id', '=', t)
      .executeTakeFirstOrThrow();
    expect(edge.from_id).toBe('W-ü');
    expect(JSON.parse(edge.properties)).toEqual(expected);
  });
});

describeWithPostgres('import commit on PostgreSQL', (url) => {
  const getStore = migratedGraphStore(url);

  it('waits for a concurrent writer of the same entity and merges into it once it has committed', async () => {
    const store = getStore();
    const t = freshTenant('concurrent');
    const id = await stageAll(store, t, [{ entities: wells([1, 2], { staged: true }), edges: [] }]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const ready = new Promise<void>((resolve) => (inserted = resolve));
    // GIVEN another transaction that has written W-1 and not yet committed
    const writer = store.transaction(async ({ db }) => {
      await db
        .insertInto('kg_entities')
        .values({
          tenant_id: t,
          label: 'Well',
          entity_id: 'W-1',
          properties: JSON.stringify({ other: 1, n: 0 }),
          latitude: null,
          longitude: null,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
      inserted();
      await held;
    });
    await ready;
    // WHEN the import commits: its INSERT waits on the other writer's row
    const commit = commitImport(store, t, id, NOW);
    for (let i = 0; i < 200; i += 1) {
      const { rows } = await sql<{
        n: number;
      }>`SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`.execute(store.db);
      if (Number(rows[0].n) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    release();
    await writer;
    // THEN it merges into the committed row, as if it had come after it
    expect(await commit).toEqual({ created: 1, updated: 1, edges_created: 0, edges_updated: 0 });
    expect((await getEntity(store, t, 'Well', 'W-1'))?.properties).toEqual({ other: 1, n: 1, staged: true });
    expect((await getEntity(store, t, 'Well', 'W-2'))?.properties).toEqual({ n: 2, staged: true });
  });

  it('stages a batch as one packed row per kind and commits its items with distinct edge ids', async () => {
    const store = getStore();
    const t = freshTenant('per-batch');
    const id = await stageAll(store, t, [
      {
        entities: [{ label: 'Operator', entity_id: 'op', properties: {} }, ...wells(range(0, 2499))],
        edges: operatedBy(range(0, 2499), 'op'),
      },
      { entities: wells(range(2499, 2600)), edges: operatedBy(range(2499, 2600), 'op') },
    ]);
    const rows = await store.db
      .selectFrom('kg_import_items')
      .select('kind')
      .where('import_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.kind)).toEqual([
      'entity_rows',
      'anchored_edge_rows',
      'entity_rows',
      'anchored_edge_rows',
    ]);
    expect(await commitImport(store, t, id, NOW)).toEqual({
      created: 2601,
      updated: 0,
      edges_created: 2600,
      edges_updated: 0,
    });
    const { rows: ids } = await sql<{ n: number; distinct_ids: number }>`SELECT COUNT(*) AS n,
  COUNT(DISTINCT edge_id) AS distinct_ids FROM kg_edges WHERE tenant_id = ${t}`.execute(store.db);
    expect(ids.map((r) => [Number(r.n), Number(r.distinct_ids)])).toEqual([[2600, 2600]]);
  });

  it('stages packed rows compressed with lz4 where the server has it', async () => {
    const store = getStore();
    const { rows } = await sql<{ method: string; lz4: boolean }>`SELECT a.attcompression AS method,
  (SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression') AS lz4
FROM pg_attribute a WHERE a.attrelid = CAST('kg_import_items' AS regclass) AND a.attname = 'payload'`.execute(
      store.db,
    );
    expect(rows[0].method).toBe(rows[0].lz4 ? 'l' : '');
  });
});
