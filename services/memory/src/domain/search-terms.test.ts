import fc from 'fast-check';
import { cosineSimilarity } from './cosine';
import { fts5Query, searchTerms, tsQuery } from './search-terms';

describe('searchTerms', () => {
  it('keeps the words of any script, lower-cased, each once, and drops every operator character', () => {
    expect(searchTerms('Flaring "permit" AND flaring: R-32 NEAR(x) ünïcode *')).toEqual([
      'flaring',
      'permit',
      'and',
      'r',
      '32',
      'near',
      'x',
      'ünïcode',
    ]);
    expect(fts5Query(['a', 'b'])).toBe('"a" OR "b"');
    expect(tsQuery(['a', 'b'])).toBe('a | b');
    expect(searchTerms('  ?!  ')).toEqual([]);
  });

  it('never lets a quote, a bar or a parenthesis through (property)', () => {
    fc.assert(
      fc.property(fc.string(), (q) => {
        for (const t of searchTerms(q)) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
        expect(searchTerms(q).length).toBeLessThanOrEqual(32);
      }),
    );
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, zero or mismatched vectors', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity([1], [1, 2])).toBe(0);
    expect(cosineSimilarity([1, 0], [-1, 0])).toBeCloseTo(-1);
  });
});
