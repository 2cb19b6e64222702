import type { PreparedEdge, PreparedEntity } from '../domain/items';
import { applyItems } from './apply';
import { edgesAmong } from './traverse';
import { getEntity } from './entities';
import { memoryGraphStore } from './__tests__/memory-store';

const NOW = '2025-06-01T12:00:00.000Z';
const T = 'tenant-apply';

const entity = (entityId: string, properties: Record<string, unknown>): PreparedEntity => ({
  label: 'Operator',
  entityId,
  properties,
  latitude: null,
  longitude: null,
});
const edge = (properties: Record<string, unknown>): PreparedEdge => ({
  fromLabel: 'Operator',
  fromId: 'a',
  relType: 'PARTNER_OF',
  toLabel: 'Operator',
  toId: 'b',
  properties,
});
const located = (e: PreparedEdge, i: number) => ({ edge: e, loc: ['body', 'edges', i] });

describe('applyItems (multi-row upserts on SQLite)', () => {
  const getStore = memoryGraphStore();

  it('merges an item repeated within one batch in order and counts each occurrence', async () => {
    const counts = await getStore().transaction((tx) =>
      applyItems(
        tx,
        T,
        [entity('a', { name: 'A', x: 1 }), entity('b', {}), entity('a', { x: 2, y: 3 })],
        [located(edge({ w: 1 }), 0), located(edge({ v: 2 }), 1)],
        NOW,
      ),
    );
    expect(counts).toEqual({ created: 2, updated: 1, edges_created: 1, edges_updated: 1 });
    expect((await getEntity(getStore(), T, 'Operator', 'a'))?.properties).toEqual({ name: 'A', x: 2, y: 3 });
    const edges = await edgesAmong(getStore(), T, [
      { label: 'Operator', id: 'a' },
      { label: 'Operator', id: 'b' },
    ]);
    expect(edges.map((e) => e.properties)).toEqual([{ w: 1, v: 2 }]);
  });

  it('writes batches larger than one statement chunk', async () => {
    const many = Array.from({ length: 1300 }, (_, i) => entity(`op-${i}`, { i }));
    const first = await getStore().transaction((tx) => applyItems(tx, 'big', many, [], NOW));
    expect(first).toEqual({ created: 1300, updated: 0, edges_created: 0, edges_updated: 0 });
    const again = await getStore().transaction((tx) => applyItems(tx, 'big', many.slice(0, 600), [], NOW));
    expect(again.updated).toBe(600);
    expect((await getEntity(getStore(), 'big', 'Operator', 'op-1299'))?.properties).toEqual({ i: 1299 });
  });
});
