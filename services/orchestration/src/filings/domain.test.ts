import { FILING_STATUSES, FILING_TRANSITIONS, filingTransitionRefusal } from './domain';

describe('filingTransitionRefusal', () => {
  it('allows exactly the listed transitions', () => {
    for (const from of FILING_STATUSES)
      for (const to of FILING_STATUSES)
        expect(filingTransitionRefusal(from, to) === undefined).toBe(FILING_TRANSITIONS[from].includes(to));
  });

  it('names the allowed targets, and says a submitted filing is final', () => {
    expect(filingTransitionRefusal('draft', 'submitted')).toBe(
      'A draft filing cannot become submitted (allowed: in_review, rejected)',
    );
    expect(filingTransitionRefusal('submitted', 'draft')).toBe(
      'A submitted filing cannot become draft: it is final',
    );
  });
});
