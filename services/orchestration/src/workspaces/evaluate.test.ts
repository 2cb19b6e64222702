import { ITEM_STATUSES, ITEM_TRANSITIONS } from '../checklists';
import { OUTCOMES, targetStatus } from './evaluate';

describe('targetStatus', () => {
  it('completes a pending or in-progress item that passed, and asks for action on one that failed', () => {
    expect(targetStatus('passed', 'pending')).toBe('complete');
    expect(targetStatus('passed', 'in_progress')).toBe('complete');
    expect(targetStatus('action_needed', 'pending')).toBe('in_progress');
    expect(targetStatus('action_needed', 'complete')).toBe('in_progress');
  });

  it('never changes an exception or a not-applicable item, nor on outcomes that decide nothing', () => {
    for (const outcome of OUTCOMES) {
      expect(targetStatus(outcome, 'exception')).toBe('exception');
      expect(targetStatus(outcome, 'not_applicable')).toBe('not_applicable');
    }
    for (const status of ITEM_STATUSES)
      for (const outcome of ['needs_human', 'not_assessed', 'error'] as const)
        expect(targetStatus(outcome, status)).toBe(status);
  });

  it('only ever asks for a transition the item lifecycle allows', () => {
    for (const outcome of OUTCOMES)
      for (const status of ITEM_STATUSES) {
        const to = targetStatus(outcome, status);
        if (to !== status) expect(ITEM_TRANSITIONS[status]).toContain(to);
      }
  });
});
