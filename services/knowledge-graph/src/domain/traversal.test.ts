import {
  buildImpactTrees,
  nodeKey,
  referenceReach,
  type EdgeRef,
  type NodeRef,
  type WalkRow,
} from './traversal';

const n = (id: string, label = 'Facility'): NodeRef => ({ label, id });
const e = (a: string, b: string): EdgeRef => ({ from: n(a), to: n(b) });

describe('referenceReach', () => {
  // a → b → c → a (cycle), c → d, d → d (self-loop), e → a
  const edges = [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd'), e('d', 'd'), e('e', 'a')];

  it('follows edges outward with shortest hop counts and terminates on cycles', () => {
    const reach = referenceReach(edges, n('a'), 10, 'out');
    expect([...reach].map(([k, d]) => [k.split('\u0000')[1], d])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
  });

  it('follows edges inward', () => {
    const reach = referenceReach(edges, n('a'), 1, 'in');
    expect(new Set(reach.keys())).toEqual(new Set([nodeKey(n('a')), nodeKey(n('c')), nodeKey(n('e'))]));
  });

  it('honours the depth limit in both directions', () => {
    const reach = referenceReach(edges, n('a'), 1, 'both');
    expect(reach.get(nodeKey(n('d')))).toBeUndefined();
    expect(reach.get(nodeKey(n('c')))).toBe(1);
    expect(referenceReach(edges, n('a'), 0, 'both').size).toBe(1);
  });
});

describe('buildImpactTrees', () => {
  const p = n('p1', 'InfrastructureProject');
  const f = n('f1');
  const w1 = n('w1', 'Well');
  const w2 = n('w2', 'Well');
  const rows: WalkRow[] = [
    { root: p, node: f, depth: 1, parent: p },
    { root: p, node: w1, depth: 2, parent: f },
    { root: p, node: w2, depth: 2, parent: f },
    { root: p, node: w2, depth: 1, parent: p },
    { root: p, node: p, depth: 3, parent: w1 }, // a cycle back to the root is ignored
  ];
  const status: Record<string, string> = { w1: 'active', w2: 'shut_in', p1: 'in_progress' };

  it('places each node once at its shortest depth and rolls up well statuses', () => {
    const [tree] = buildImpactTrees([p], rows, (x) => ({
      name: x.id.toUpperCase(),
      status: status[x.id] ?? null,
    }));
    expect(tree.rollup).toEqual({ wells: 2, by_status: { active: 1, shut_in: 1 } });
    expect(tree.children.map((c) => c.entity_id)).toEqual(['f1', 'w2']);
    expect(tree.children[0].children.map((c) => [c.entity_id, c.depth])).toEqual([['w1', 2]]);
    expect(tree.children[0].rollup).toEqual({ wells: 1, by_status: { active: 1 } });
    expect(tree.status).toBe('in_progress');
  });

  it('gives a root with no rows an empty tree', () => {
    const [tree] = buildImpactTrees([n('lonely', 'InfrastructureProject')], rows, () => ({
      name: null,
      status: null,
    }));
    expect(tree).toMatchObject({ children: [], rollup: { wells: 0, by_status: {} } });
  });
});
