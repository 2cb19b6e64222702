import fc from 'fast-check';
import { LruCache } from './lru';

describe('LruCache', () => {
  it('evicts the least recently used entry when full', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
  });

  it('never holds more than its bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 50 })), (max, keys) => {
        const c = new LruCache<number, number>(max);
        for (const k of keys) c.set(k, k);
        expect(c.size).toBeLessThanOrEqual(max);
        const recent = [...new Set(keys.slice().reverse())].slice(0, max);
        for (const k of recent) expect(c.get(k)).toBe(k);
      }),
    );
  });
});
