import fc from 'fast-check';
import { mergeValues, resolveValues } from './values';

describe('mergeValues', () => {
  it('merges maps key by key and replaces lists and scalars, as Helm coalesces values', () => {
    expect(
      mergeValues({ a: { x: 1, y: 2 }, list: [1, 2], s: 'd' }, { a: { y: 3, z: 4 }, list: [9], s: 'u' }),
    ).toEqual({ a: { x: 1, y: 3, z: 4 }, list: [9], s: 'u' });
  });

  it('keeps every default the input does not mention (property)', () => {
    const leaf = fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 3 }));
    const tree = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 3 }),
      fc.oneof(leaf, fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), leaf)),
    );
    fc.assert(
      fc.property(tree, tree, (defaults, input) => {
        const merged = mergeValues(defaults, input) as Record<string, unknown>;
        for (const key of Object.keys(defaults))
          if (!(key in input)) expect(merged[key]).toEqual(defaults[key]);
        for (const [key, value] of Object.entries(input)) {
          if (typeof value !== 'object' || Array.isArray(value)) expect(merged[key]).toEqual(value);
        }
      }),
    );
  });
});

describe('resolveValues', () => {
  it('fills in defaults and merges partial resources onto them', () => {
    const v = resolveValues({ resources: { gateway: { limits: { cpu: '2' } } } });
    expect(v.namespace).toBe('aegis');
    expect(v.replicas).toEqual({ gateway: 2, operator: 2 });
    expect(Object.keys(v.services)).toEqual([
      'auth',
      'orchestration',
      'memory',
      'knowledge-graph',
      'approvals',
      'ingestion',
      'compliance-monitor',
      'flaring-monitor',
    ]);
    expect(v.services.ingestion).toEqual({
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    });
    expect(v.resources.gateway).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '512Mi', cpu: '2' },
    });
  });

  it('names the field of a bad value', () => {
    expect(() => resolveValues({ image: { pullPolicy: 'Sometimes' as never } })).toThrow(/image\.pullPolicy/);
    expect(() => resolveValues({ postgresql: { enabled: false } })).toThrow(/postgresql\.url: required/);
    expect(() => resolveValues({ unknown: 1 } as never)).toThrow(/Unrecognized key/);
  });
});
