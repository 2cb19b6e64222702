import { sql, ValidationError, type Store } from '@aegis/common';
import {
  commitImport,
  createImport,
  discardImport,
  getEntity,
  prepareBatch,
  purgeStaleImports,
  reach,
  referenceReach,
  seedDemoData,
  stageItems,
  treeWalk,
  type EdgeRef,
} from '@aegis/knowledge-graph';
import fc from 'fast-check';
import { ANCHOR, applyBatch, countRows, demo, freshTenant, NOW, seededTenant, wellAt } from './fixtures';

/** Writes, traversals and imports: behaviour the knowledge graph must have on every store. */
export function graphCoreContract(getStore: () => Store): void {
  const seeded = seededTenant(getStore);

  describe('demo data and bulk upsert', () => {
    it('seeds every demo entity and edge, and reseeding creates nothing new', async () => {
      const t = freshTenant('reseed');
      const first = await seedDemoData(getStore(), t, ANCHOR, NOW);
      expect(first).toEqual({
        created: demo.entities.length,
        updated: 0,
        edges_created: demo.edges.length,
        edges_updated: 0,
      });
      const second = await seedDemoData(getStore(), t, ANCHOR, NOW);
      expect(second).toEqual({
        created: 0,
        updated: demo.entities.length,
        edges_created: 0,
        edges_updated: demo.edges.length,
      });
    });

    it('writes nothing when one edge of a batch points at a missing entity', async () => {
      const t = freshTenant('atomic');
      const attempt = applyBatch(getStore(), t, {
        entities: [
          { label: 'Operator', entity_id: 'op-1', properties: { name: 'A' } },
          { label: 'Well', properties: { api_number: '42-317-30000' } },
        ],
        edges: [
          {
            from_label: 'Well',
            from_id: '42-317-30000',
            rel_type: 'OPERATED_BY',
            to_label: 'Operator',
            to_id: 'op-1',
          },
          {
            from_label: 'Well',
            from_id: '42-317-30000',
            rel_type: 'ON_LEASE',
            to_label: 'Lease',
            to_id: 'nope',
          },
        ],
      });
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject({ detail: [{ loc: ['body', 'edges', 1, 'to_id'] }] });
      expect(await countRows(getStore(), 'kg_entities', 'tenant_id', t)).toBe(0);
    });

    it('merges properties on upsert and keys wells by normalised API number', async () => {
      const t = freshTenant('merge');
      const apply = (body: Parameters<typeof applyBatch>[2]) => applyBatch(getStore(), t, body);
      await apply({
        entities: [
          { label: 'Well', properties: { api_number: '42-317-30000-00', status: 'active', name: 'A 1H' } },
        ],
        edges: [],
      });
      const r = await apply({
        entities: [{ label: 'Well', properties: { api_number: '4231730000', status: 'shut_in' } }],
        edges: [],
      });
      expect(r).toMatchObject({ created: 0, updated: 1 });
      const well = await getEntity(getStore(), t, 'Well', '42317300000000');
      expect(well?.properties).toEqual({ api_number: '42317300000000', status: 'shut_in', name: 'A 1H' });
    });
  });

  describe('traversal in the database', () => {
    it('matches a reference breadth-first search on random graphs with cycles and self-loops', async () => {
      const node = fc.integer({ min: 0, max: 9 });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(node, node), { minLength: 1, maxLength: 30 }),
          node,
          fc.integer({ min: 0, max: 5 }),
          fc.constantFrom('out' as const, 'in' as const, 'both' as const),
          async (pairs, start, depth, direction) => {
            const t = freshTenant('walk');
            const n = (i: number) => ({ label: 'Facility', id: `n${i}` });
            await applyBatch(getStore(), t, {
              entities: Array.from({ length: 10 }, (_, i) => ({ label: 'Facility', entity_id: `n${i}` })),
              edges: pairs.map(([a, c], i) => ({
                from_label: 'Facility',
                from_id: `n${a}`,
                rel_type: i % 2 ? 'CONNECTED_TO' : 'FEEDS',
                to_label: 'Facility',
                to_id: `n${c}`,
              })),
            });
            const edges: EdgeRef[] = pairs.map(([a, c]) => ({ from: n(a), to: n(c) }));
            const expected = referenceReach(edges, n(start), depth, direction);
            const got = await reach(getStore(), t, n(start), depth, direction, 1000);
            expect(new Map(got.nodes.map((x) => [`${x.label}\u0000${x.entity_id}`, x.depth]))).toEqual(
              expected,
            );
            expect(got.more).toBe(false);
          },
        ),
        { numRuns: 25 },
      );
    });

    it('terminates on a dense cycle at the depth cap and reports truncation', async () => {
      const t = freshTenant('ring');
      const size = 12;
      await applyBatch(getStore(), t, {
        entities: Array.from({ length: size }, (_, i) => ({ label: 'Pipeline', entity_id: `p${i}` })),
        edges: Array.from({ length: size * 3 }, (_, i) => ({
          from_label: 'Pipeline',
          from_id: `p${i % size}`,
          rel_type: 'CONNECTED_TO',
          to_label: 'Pipeline',
          to_id: `p${(i * 7 + 1) % size}`,
        })),
      });
      const all = await reach(getStore(), t, { label: 'Pipeline', id: 'p0' }, 5, 'both', 1000);
      expect(all.nodes.length).toBeLessThanOrEqual(size);
      expect(all.nodes[0]).toMatchObject({ entity_id: 'p0', depth: 0 });
      const capped = await reach(getStore(), t, { label: 'Pipeline', id: 'p0' }, 5, 'both', 3);
      expect(capped.nodes).toHaveLength(3);
      expect(capped.more).toBe(true);
    });

    it('stops a walk through a hub at the work bound, keeping shortest depths and flagging truncation', async () => {
      const t = freshTenant('hub');
      const leaves = 60;
      const entities = [
        { label: 'Operator', entity_id: 'hub' },
        ...Array.from({ length: leaves }, (_, i) => ({ label: 'Well', entity_id: `w${i}` })),
        ...Array.from({ length: leaves }, (_, i) => ({ label: 'Permit', entity_id: `p${i}` })),
      ];
      const edges = [
        ...Array.from({ length: leaves }, (_, i) => ({
          from_label: 'Well',
          from_id: `w${i}`,
          rel_type: 'OPERATED_BY',
          to_label: 'Operator',
          to_id: 'hub',
        })),
        ...Array.from({ length: leaves }, (_, i) => ({
          from_label: 'Permit',
          from_id: `p${i}`,
          rel_type: 'AUTHORIZES',
          to_label: 'Well',
          to_id: `w${i}`,
        })),
      ];
      await applyBatch(getStore(), t, { entities, edges });
      const start = { label: 'Well', id: 'w0' };
      const reference = referenceReach(
        edges.map((e) => ({
          from: { label: e.from_label, id: e.from_id },
          to: { label: e.to_label, id: e.to_id },
        })),
        start,
        3,
        'both',
      );
      const full = await reach(getStore(), t, start, 3, 'both', 1000);
      expect(full.nodes).toHaveLength(reference.size);
      expect(full.more).toBe(false);
      const bounded = await reach(getStore(), t, start, 3, 'both', 1000, 25);
      expect(bounded.more).toBe(true);
      expect(bounded.nodes.length).toBeLessThanOrEqual(25);
      expect(bounded.nodes.length).toBeGreaterThan(2);
      for (const n of bounded.nodes) expect(reference.get(`${n.label}\u0000${n.entity_id}`)).toBe(n.depth);
    });

    it('builds the impact tree of projects down to wells without following the well→pad cycle', async () => {
      const { roots, rows } = await treeWalk(getStore(), seeded(), 5, undefined);
      expect(roots.map((r) => r.id).sort()).toEqual(['IP-MARTIN-GATHERING', 'IP-REEVES-COMPRESSION']);
      const wellsOf = (root: string) =>
        new Set(rows.filter((r) => r.root.id === root && r.node.label === 'Well').map((r) => r.node.id));
      expect(wellsOf('IP-MARTIN-GATHERING')).toEqual(
        new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => wellAt(Math.floor(k / 5), k % 5).entity_id)),
      );
      expect(wellsOf('IP-REEVES-COMPRESSION').size).toBe(10);
      expect(rows.every((r) => r.parent?.label !== 'Well')).toBe(true);
    });
  });

  describe('imports', () => {
    it('stages invisibly, then commits everything in one transaction', async () => {
      const t = freshTenant('import');
      const id = await createImport(getStore(), t, NOW);
      const one = await prepareBatch(getStore(), t, {
        entities: [{ label: 'Operator', entity_id: 'op', properties: {} }],
        edges: [],
      });
      expect(await stageItems(getStore(), t, id, one, NOW)).toBe(1);
      const two = await prepareBatch(getStore(), t, {
        entities: [{ label: 'Well', properties: { api_number: '42-329-20001' } }],
        edges: [
          {
            from_label: 'Well',
            from_id: '42-329-20001',
            rel_type: 'OPERATED_BY',
            to_label: 'Operator',
            to_id: 'op',
          },
        ],
      });
      expect(await stageItems(getStore(), t, id, two, NOW)).toBe(2);
      expect(await getEntity(getStore(), t, 'Operator', 'op')).toBeUndefined();
      expect(await commitImport(getStore(), t, id, NOW)).toEqual({
        created: 2,
        updated: 0,
        edges_created: 1,
        edges_updated: 0,
      });
      expect(await getEntity(getStore(), t, 'Well', '42329200010000')).toBeDefined();
      await expect(commitImport(getStore(), t, id, NOW)).rejects.toMatchObject({ status: 409 });
      expect(await countRows(getStore(), 'kg_import_items', 'import_id', id)).toBe(0);
    });

    it('purges imports left open for more than 24 hours, with their staged rows', async () => {
      const t = freshTenant('stale');
      const id = await createImport(getStore(), t, NOW);
      const batch = await prepareBatch(getStore(), t, {
        entities: [{ label: 'Operator', entity_id: 'op', properties: {} }],
        edges: [],
      });
      await stageItems(getStore(), t, id, batch, NOW);
      const fresh = await createImport(getStore(), t, '2025-06-02T11:00:00.000Z');
      expect(
        await purgeStaleImports(getStore(), Date.parse('2025-06-02T12:00:01.000Z')),
      ).toBeGreaterThanOrEqual(1);
      expect(await countRows(getStore(), 'kg_import_items', 'import_id', id)).toBe(0);
      await expect(commitImport(getStore(), t, id, NOW)).rejects.toMatchObject({ status: 409 });
      expect(await commitImport(getStore(), t, fresh, NOW)).toEqual({
        created: 0,
        updated: 0,
        edges_created: 0,
        edges_updated: 0,
      });
    });

    /** Stages `bodies` as one import, one batch each; returns the import id. */
    async function stageAll(t: string, bodies: Parameters<typeof prepareBatch>[2][]): Promise<string> {
      const id = await createImport(getStore(), t, NOW);
      for (const body of bodies)
        await stageItems(getStore(), t, id, await prepareBatch(getStore(), t, body), NOW);
      return id;
    }
    const wells = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        label: 'Well' as const,
        entity_id: `W-${from + i}`,
        properties: { name: `well ${from + i}`, depth: from + i },
      }));
    const operatedBy = (n: number, operator: string, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        from_label: 'Well' as const,
        from_id: `W-${from + i}`,
        rel_type: 'OPERATED_BY',
        to_label: 'Operator' as const,
        to_id: operator,
      }));

    it('commits nothing when an edge of a late batch names an entity deleted since it was staged', async () => {
      const t = freshTenant('import-atomic');
      await applyBatch(getStore(), t, {
        entities: [{ label: 'Operator', entity_id: 'gone', properties: {} }],
        edges: [],
      });
      const id = await stageAll(t, [
        { entities: [{ label: 'Operator', entity_id: 'op', properties: {} }, ...wells(1500)], edges: [] },
        { entities: wells(1500, 1500), edges: operatedBy(3000, 'op') },
        { entities: wells(10, 3000), edges: [...operatedBy(9, 'op', 3000), ...operatedBy(1, 'gone', 3009)] },
      ]);
      const staged = await getStore()
        .db.selectFrom('kg_import_items')
        .select('seq')
        .where('import_id', '=', id)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      await sql`DELETE FROM kg_entities WHERE tenant_id = ${t} AND entity_id = 'gone'`.execute(getStore().db);
      const err = await commitImport(getStore(), t, id, NOW).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({
        status: 422,
        detail: [
          {
            loc: ['import', 'items', Number(staged.seq), 9, 'to_id'],
            msg: 'Operator gone does not exist',
            type: 'not_found',
          },
        ],
      });
      expect(await countRows(getStore(), 'kg_entities', 'tenant_id', t)).toBe(0);
      expect(await countRows(getStore(), 'kg_edges', 'tenant_id', t)).toBe(0);
      // The import is still open: its items are all still staged.
      await discardImport(getStore(), t, id, NOW);
      expect(await countRows(getStore(), 'kg_import_items', 'import_id', id)).toBe(0);
      expect(await countRows(getStore(), 'kg_import_keys', 'import_id', id)).toBe(0);
    });

    it('refuses a bad item of a late batch with its location and keeps the batch out', async () => {
      const t = freshTenant('import-late');
      const id = await stageAll(t, [
        { entities: [{ label: 'Operator', entity_id: 'op', properties: {} }], edges: [] },
      ]);
      const bad = prepareBatch(getStore(), t, {
        entities: [...wells(3), { label: 'Well', entity_id: 'W-x', properties: { latitude: 123 } }],
        edges: [{ ...operatedBy(1, 'op')[0], rel_type: 'operated by' }],
      });
      await expect(bad).rejects.toMatchObject({
        status: 422,
        detail: [
          {
            loc: ['body', 'entities', 3, 'properties', 'latitude'],
            msg: 'must be a number between -90 and 90',
            type: 'value_error',
          },
          { loc: ['body', 'edges', 0, 'rel_type'], msg: 'must be UPPER_SNAKE_CASE' },
        ],
      });
      expect(await commitImport(getStore(), t, id, NOW)).toEqual({
        created: 1,
        updated: 0,
        edges_created: 0,
        edges_updated: 0,
      });
      expect(await countRows(getStore(), 'kg_entities', 'tenant_id', t)).toBe(1);
    });

    it('re-uploads idempotently: same counts as updates, properties merged shallowly, others kept', async () => {
      const t = freshTenant('import-again');
      const first = [
        {
          entities: [
            {
              label: 'Operator' as const,
              entity_id: 'op',
              properties: { name: 'Op', nested: { x: 1 }, keep: 'k', n: 0.30000000000000004 },
            },
            ...wells(1200),
          ],
          edges: operatedBy(1200, 'op').map((e) => ({ ...e, properties: { since: 2020, note: { a: 1 } } })),
        },
      ];
      expect(await commitImport(getStore(), t, await stageAll(t, first), NOW)).toEqual({
        created: 1201,
        updated: 0,
        edges_created: 1200,
        edges_updated: 0,
      });
      const again = [
        {
          entities: [
            { label: 'Operator' as const, entity_id: 'op', properties: { nested: { y: 2 }, gone: null } },
            ...wells(1200),
          ],
          edges: operatedBy(1200, 'op').map((e) => ({ ...e, properties: { note: { b: 2 }, until: null } })),
        },
      ];
      expect(await commitImport(getStore(), t, await stageAll(t, again), NOW)).toEqual({
        created: 0,
        updated: 1201,
        edges_created: 0,
        edges_updated: 1200,
      });
      expect((await getEntity(getStore(), t, 'Operator', 'op'))?.properties).toEqual({
        name: 'Op',
        nested: { y: 2 },
        keep: 'k',
        n: 0.30000000000000004,
        gone: null,
      });
      expect((await getEntity(getStore(), t, 'Well', 'W-7'))?.properties).toEqual({
        name: 'well 7',
        depth: 7,
      });
      const { rows } = await sql<{
        properties: string;
        n: number;
      }>`SELECT properties, COUNT(*) AS n FROM kg_edges
WHERE tenant_id = ${t} GROUP BY properties`.execute(getStore().db);
      expect(rows.map((r) => [JSON.parse(r.properties) as unknown, Number(r.n)])).toEqual([
        [{ since: 2020, note: { b: 2 }, until: null }, 1200],
      ]);
    });

    it('merges a key given twice in one import in order, as one create then one update', async () => {
      const t = freshTenant('import-twice');
      const edge = { ...operatedBy(1, 'op')[0] };
      const id = await stageAll(t, [
        {
          entities: [
            { label: 'Operator', entity_id: 'op', properties: { a: 1, b: 1 } },
            { label: 'Operator', entity_id: 'op', properties: { b: 2 } },
            ...wells(1),
          ],
          edges: [
            { ...edge, properties: { a: 1 } },
            { ...edge, properties: { b: 2 } },
          ],
        },
        {
          entities: [{ label: 'Operator', entity_id: 'op', properties: { c: 3 } }],
          edges: [{ ...edge, properties: { a: 3 } }],
        },
      ]);
      expect(await commitImport(getStore(), t, id, NOW)).toEqual({
        created: 2,
        updated: 2,
        edges_created: 1,
        edges_updated: 2,
      });
      expect((await getEntity(getStore(), t, 'Operator', 'op'))?.properties).toEqual({ a: 1, b: 2, c: 3 });
      const { rows } = await sql<{
        properties: string;
      }>`SELECT properties FROM kg_edges WHERE tenant_id = ${t}`.execute(getStore().db);
      expect(rows.map((r) => JSON.parse(r.properties) as unknown)).toEqual([{ a: 3, b: 2 }]);
    });

    it('refuses an edge to an entity neither stored nor staged, and discards cleanly', async () => {
      const t = freshTenant('import');
      const id = await createImport(getStore(), t, NOW);
      const bad = await prepareBatch(getStore(), t, {
        entities: [],
        edges: [
          {
            from_label: 'Well',
            from_id: '42-329-20001',
            rel_type: 'OPERATED_BY',
            to_label: 'Operator',
            to_id: 'op',
          },
        ],
      });
      await expect(stageItems(getStore(), t, id, bad, NOW)).rejects.toMatchObject({ status: 422 });
      await discardImport(getStore(), t, id, NOW);
      await expect(commitImport(getStore(), t, id, NOW)).rejects.toMatchObject({ status: 409 });
      await expect(commitImport(getStore(), 'other-tenant', id, NOW)).rejects.toMatchObject({ status: 404 });
    });
  });
}
