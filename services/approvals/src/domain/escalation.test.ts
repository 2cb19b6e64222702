import { escalationCutoff } from './escalation';

describe('escalationCutoff', () => {
  const assigned = '2026-03-01T08:00:00.000Z';
  const at = Date.parse(assigned);
  it('is the assignment time exactly at the timeout, and before it one millisecond earlier', () => {
    expect(escalationCutoff(at + 24 * 3_600_000, 24) >= assigned).toBe(true);
    expect(escalationCutoff(at + 24 * 3_600_000 - 1, 24) >= assigned).toBe(false);
  });
  it('takes fractional hours', () => {
    expect(escalationCutoff(at + 1_800_000, 0.5)).toBe(assigned);
  });
});
