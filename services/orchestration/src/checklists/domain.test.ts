import { ITEM_STATUSES, ITEM_TRANSITIONS, itemTransitionRefusal, unsettledItems } from './domain';

const item = (over: Partial<Parameters<typeof itemTransitionRefusal>[0]> = {}) => ({
  index: 2,
  label: 'Reason',
  status: 'pending' as const,
  required: false,
  item_type: 'data',
  ...over,
});

describe('item lifecycle', () => {
  it('allows exactly the documented transitions (and the same status as a no-op)', () => {
    for (const from of ITEM_STATUSES)
      for (const to of ITEM_STATUSES) {
        const refusal = itemTransitionRefusal(item({ status: from }), to, 1);
        expect([from, to, refusal === undefined]).toEqual([
          from,
          to,
          from === to || ITEM_TRANSITIONS[from].includes(to),
        ]);
      }
  });

  it('keeps required items from not_applicable and required documents from complete without an artifact', () => {
    expect(itemTransitionRefusal(item({ required: true }), 'not_applicable', 0)).toMatch(/exception/);
    expect(itemTransitionRefusal(item({ required: true, item_type: 'document' }), 'complete', 0)).toMatch(
      /artifact/,
    );
    expect(
      itemTransitionRefusal(item({ required: true, item_type: 'document' }), 'complete', 1),
    ).toBeUndefined();
    expect(itemTransitionRefusal(item({ item_type: 'document' }), 'complete', 0)).toBeUndefined();
  });

  it('holds a submission back only for required items neither complete nor excepted', () => {
    const items = [
      { status: 'complete', required: true },
      { status: 'exception', required: true },
      { status: 'in_progress', required: true },
      { status: 'pending', required: false },
    ] as const;
    expect(unsettledItems(items)).toEqual([items[2]]);
  });
});
