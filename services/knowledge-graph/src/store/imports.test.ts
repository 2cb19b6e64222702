import { newEdgeId } from './edges';
import { commitImport, createImport, stageItems } from './imports';
import { prepareBatch } from './batch';
import { memoryGraphStore } from './__tests__/memory-store';

/** The import path's bulk shape (ADR 0026): a batch's edges are staged packed, endpoints staged in an
 * earlier batch are found with one query per label, and imports staged before packing still commit. */

const NOW = '2025-06-01T12:00:00.000Z';

describe('imports: packed staging (SQLite)', () => {
  const getStore = memoryGraphStore();

  it('stages 2,501 entities and 2,500 edges to them in a few packed rows and commits them all', async () => {
    const t = 'tenant-packed';
    const id = await createImport(getStore(), t, NOW);
    const operators = Array.from({ length: 2500 }, (_, i) => `op-${i}`);
    await stageItems(
      getStore(),
      t,
      id,
      await prepareBatch(getStore(), t, {
        entities: [
          ...operators.map((o) => ({ label: 'Operator', entity_id: o, properties: {} })),
          { label: 'Field', entity_id: 'f', properties: {} },
        ],
        edges: [],
      }),
      NOW,
    );
    const edges = operators.map((o) => ({
      from_label: 'Operator',
      from_id: o,
      rel_type: 'LOCATED_IN',
      to_label: 'Field',
      to_id: 'f',
    }));
    expect(
      await stageItems(getStore(), t, id, await prepareBatch(getStore(), t, { entities: [], edges }), NOW),
    ).toBe(2500);
    const rows = await getStore()
      .db.selectFrom('kg_import_items')
      .select(['kind'])
      .where('import_id', '=', id)
      .orderBy('seq')
      .execute();
    // Every endpoint is staged by the import itself: the commit need not look them up.
    expect(rows.map((r) => r.kind)).toEqual([
      ...['entity_rows', 'entity_rows', 'entity_rows'],
      ...['anchored_edge_rows', 'anchored_edge_rows', 'anchored_edge_rows'],
    ]);
    expect(await commitImport(getStore(), t, id, NOW)).toEqual({
      created: 2501,
      updated: 0,
      edges_created: 2500,
      edges_updated: 0,
    });
    const stored = await getStore()
      .db.selectFrom('kg_edges')
      .select('edge_id')
      .where('tenant_id', '=', t)
      .execute();
    expect(stored).toHaveLength(2500);
  });

  it('checks at commit only the packed rows with an edge naming an entity only the graph held at staging', async () => {
    const t = 'tenant-anchored';
    const entity = (label: string, entity_id: string) => ({ label, entity_id, properties: {} });
    const edge = (from_id: string, to_id: string) => ({
      from_label: 'Well',
      from_id,
      rel_type: 'OPERATED_BY',
      to_label: 'Operator',
      to_id,
    });
    const stage = async (id: string, body: { entities: object[]; edges: object[] }) =>
      stageItems(getStore(), t, id, await prepareBatch(getStore(), t, body), NOW);
    // An operator already in the graph, committed by an earlier import.
    const first = await createImport(getStore(), t, NOW);
    await stage(first, { entities: [entity('Operator', 'old')], edges: [] });
    await commitImport(getStore(), t, first, NOW);

    const id = await createImport(getStore(), t, NOW);
    await stage(id, { entities: [entity('Operator', 'new')], edges: [] });
    // Edges to entities the import stages only; then a batch with one edge to the graph's operator.
    await stage(id, {
      entities: [entity('Well', 'w1'), entity('Well', 'w2')],
      edges: [edge('w1', 'new'), edge('w2', 'new')],
    });
    await stage(id, {
      entities: [entity('Well', 'w3'), entity('Well', 'w4')],
      edges: [edge('w3', 'new'), edge('w4', 'old')],
    });
    const rows = await getStore()
      .db.selectFrom('kg_import_items')
      .select(['kind', 'seq'])
      .where('import_id', '=', id)
      .where('kind', 'in', ['edge_rows', 'anchored_edge_rows'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.kind)).toEqual(['anchored_edge_rows', 'edge_rows']);

    // The graph-only endpoint is deleted before the commit: 422 naming that edge, nothing applied.
    await getStore()
      .db.deleteFrom('kg_entities')
      .where('tenant_id', '=', t)
      .where('entity_id', '=', 'old')
      .execute();
    await expect(commitImport(getStore(), t, id, NOW)).rejects.toMatchObject({
      status: 422,
      detail: [
        {
          loc: ['import', 'items', Number(rows[1].seq), 1, 'to_id'],
          msg: 'Operator old does not exist',
          type: 'not_found',
        },
      ],
    });
    expect(
      await getStore().db.selectFrom('kg_entities').select('entity_id').where('tenant_id', '=', t).execute(),
    ).toEqual([]);
  });

  it('commits an import whose edges were staged one per row (before packing)', async () => {
    const t = 'tenant-legacy';
    const id = await createImport(getStore(), t, NOW);
    await stageItems(
      getStore(),
      t,
      id,
      await prepareBatch(getStore(), t, {
        entities: [
          { label: 'Operator', entity_id: 'a', properties: {} },
          { label: 'Operator', entity_id: 'b', properties: {} },
        ],
        edges: [],
      }),
      NOW,
    );
    const edge = (to: string, weight: number) =>
      JSON.stringify({
        fromLabel: 'Operator',
        fromId: 'a',
        relType: 'PARTNER_OF',
        toLabel: 'Operator',
        toId: to,
        properties: { weight },
      });
    await getStore()
      .db.insertInto('kg_import_items')
      .values([
        { import_id: id, seq: 100, kind: 'edge', item_label: null, item_id: null, payload: edge('b', 1) },
        { import_id: id, seq: 101, kind: 'edge', item_label: null, item_id: null, payload: edge('b', 2) },
      ])
      .execute();
    expect(await commitImport(getStore(), t, id, NOW)).toEqual({
      created: 2,
      updated: 0,
      edges_created: 1,
      edges_updated: 1,
    });
    const stored = await getStore()
      .db.selectFrom('kg_edges')
      .select('properties')
      .where('tenant_id', '=', t)
      .execute();
    expect(stored.map((e) => JSON.parse(e.properties) as unknown)).toEqual([{ weight: 2 }]);
  });

  it('finds and commits entities an earlier version staged one per row, before the packed ones', async () => {
    const t = 'tenant-legacy-entity';
    const id = await createImport(getStore(), t, NOW);
    const entity = (properties: Record<string, unknown>) =>
      JSON.stringify({ label: 'Operator', entityId: 'old', properties, latitude: null, longitude: null });
    await getStore()
      .db.insertInto('kg_import_items')
      .values({
        import_id: id,
        seq: 0,
        kind: 'entity',
        item_label: 'Operator',
        item_id: 'old',
        payload: entity({ a: 1 }),
      })
      .execute();
    await getStore().db.updateTable('kg_imports').set({ staged: 1 }).where('import_id', '=', id).execute();
    // The first batch names 'old', staged only as an old-style row: staging must find it there.
    const batch = await prepareBatch(getStore(), t, {
      entities: [{ label: 'Field', entity_id: 'f', properties: {} }],
      edges: [
        { from_label: 'Operator', from_id: 'old', rel_type: 'LOCATED_IN', to_label: 'Field', to_id: 'f' },
      ],
    });
    expect(await stageItems(getStore(), t, id, batch, NOW)).toBe(2);
    const again = await prepareBatch(getStore(), t, {
      entities: [{ label: 'Operator', entity_id: 'old', properties: { b: 2 } }],
      edges: [
        { from_label: 'Field', from_id: 'f', rel_type: 'OPERATED_BY', to_label: 'Operator', to_id: 'old' },
      ],
    });
    expect(await stageItems(getStore(), t, id, again, NOW)).toBe(2);
    expect(await commitImport(getStore(), t, id, NOW)).toEqual({
      created: 2,
      updated: 1,
      edges_created: 2,
      edges_updated: 0,
    });
    const stored = await getStore()
      .db.selectFrom('kg_entities')
      .select('properties')
      .where('tenant_id', '=', t)
      .where('entity_id', '=', 'old')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.properties)).toEqual({ a: 1, b: 2 });
  });

  it('gives new edges time-ordered version-7 UUIDs', () => {
    const a = newEdgeId(Date.parse('2025-06-01T12:00:00.000Z'));
    const b = newEdgeId(Date.parse('2025-06-01T12:00:00.001Z'));
    for (const id of [a, b])
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(a.slice(0, 13)).toBe('01972b5c-ee00');
  });
});
