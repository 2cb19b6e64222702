import fc from 'fast-check';
import {
  BATCH_WIDE,
  BatchBuilder,
  EntitySet,
  flattenBatch,
  issuesByRow,
  rowItemCount,
  type BatchRow,
} from './batch';
import { MAX_ITEMS_PER_ROW, toGraphItems } from './graph-items';

const wellRow = (row: number, operator = '1'): BatchRow => ({
  row,
  items: toGraphItems('wells', {
    fields: {
      api_number: `423291${String(row).padStart(4, '0')}0000`,
      well_name: `W${row}`,
      operator_number: operator,
    },
    extras: {},
  }),
});

describe('BatchBuilder', () => {
  it('never lets a batch exceed the item limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_ITEMS_PER_ROW, max: 200 }),
        fc.integer({ min: 1, max: 300 }),
        (limit, rows) => {
          const b = new BatchBuilder(limit);
          const batches: BatchRow[][] = [];
          for (let r = 0; r < rows; r += 1) if (b.add(wellRow(r + 2))) batches.push(b.take());
          batches.push(b.take());
          for (const batch of batches) {
            expect(batch.reduce((n, r) => n + rowItemCount(r.items), 0)).toBeLessThanOrEqual(limit);
          }
          expect(batches.flat()).toHaveLength(rows);
        },
      ),
    );
  });
});

describe('flattenBatch and issuesByRow', () => {
  it('sends a related entity once per batch and not again once stored', () => {
    const rows = [wellRow(2), wellRow(3), wellRow(4, '7')];
    const flat = flattenBatch(rows, new EntitySet());
    expect(flat.entities.map((e) => `${e.label}:${e.entity_id}`)).toEqual([
      'Well:42329100020000',
      'Operator:OP-1',
      'Well:42329100030000',
      'Well:42329100040000',
      'Operator:OP-7',
    ]);
    expect(flat.entityRows).toEqual([2, 2, 3, 4, 4]);
    expect(flat.edgeRows).toEqual([2, 3, 4]);
    const stored = new EntitySet();
    for (const e of flat.related) stored.add(e.label, e.entity_id);
    const again = flattenBatch(rows, stored);
    expect(again.entities.map((e) => e.label)).toEqual(['Well', 'Well', 'Well']);
  });

  it("maps the graph's issue locations back to rows", () => {
    const flat = flattenBatch([wellRow(2), wellRow(3)], new EntitySet());
    const byRow = issuesByRow(flat, [
      { loc: ['body', 'entities', 2, 'properties', 'name'], msg: 'too long', type: 'value_error' },
      { loc: ['body', 'edges', 0, 'to_id'], msg: 'Operator OP-1 does not exist', type: 'not_found' },
      { loc: ['body'], msg: 'at most 5000 items', type: 'too_big' },
    ]);
    expect(byRow.get(3)).toEqual([{ field: 'name', reason: 'rejected by the knowledge graph: too long' }]);
    expect(byRow.get(2)).toEqual([
      { field: 'to_id', reason: 'rejected by the knowledge graph: Operator OP-1 does not exist' },
    ]);
    expect(byRow.get(BATCH_WIDE)).toEqual([
      { field: 'row', reason: 'rejected by the knowledge graph: at most 5000 items' },
    ]);
  });
});
