import { sortBy, urgency } from './sort';

describe('sortBy', () => {
  const rows = [
    { id: 'b', n: -4 },
    { id: 'a', n: 10 },
    { id: 'c', n: -20 },
    { id: 'd', n: 10 },
  ];
  it('compares numbers as numbers (negative days first), ties by the tie key', () => {
    expect(
      sortBy(
        rows,
        (r) => r.n,
        'asc',
        (r) => r.id,
      ).map((r) => r.id),
    ).toEqual(['c', 'b', 'a', 'd']);
  });
  it('reverses the key but not the tie order when descending', () => {
    expect(
      sortBy(
        rows,
        (r) => r.n,
        'desc',
        (r) => r.id,
      ).map((r) => r.id),
    ).toEqual(['a', 'd', 'b', 'c']);
  });
  it('ranks overdue as the most urgent status', () => {
    expect(urgency('overdue')).toBeLessThan(urgency('in_review'));
    expect(urgency('compliant')).toBeLessThan(urgency('not_applicable'));
  });
});
