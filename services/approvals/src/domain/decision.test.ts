import { ConflictError, ForbiddenError } from '@aegis/common';
import { decide, type DecisionSubject } from './decision';

const subject = (over: Partial<DecisionSubject> = {}): DecisionSubject => ({
  status: 'pending',
  reviewer_strategy: 'any_reviewer',
  reviewer_id: null,
  requested_by: 'agent',
  on_behalf_of: 'alice',
  votes: [],
  ...over,
});

describe('decide', () => {
  it('any_reviewer: the first decision decides', () => {
    expect(decide(subject(), 'bob', 'approved')).toEqual({ final: true, status: 'approved' });
    expect(decide(subject(), 'bob', 'modified')).toEqual({ final: true, status: 'modified' });
  });

  it('refuses a second decision with 409 already_decided', () => {
    expect(() => decide(subject({ status: 'rejected' }), 'bob', 'approved')).toThrow(ConflictError);
  });

  it('named_individual: only the named reviewer decides', () => {
    const s = subject({ reviewer_strategy: 'named_individual', reviewer_id: 'carol' });
    expect(() => decide(s, 'bob', 'approved')).toThrow(ForbiddenError);
    expect(decide(s, 'carol', 'rejected')).toEqual({ final: true, status: 'rejected' });
  });

  it('four_eyes: two distinct approvers, never the requester or the user it was made for', () => {
    const s = subject({ reviewer_strategy: 'four_eyes' });
    expect(() => decide(s, 'agent', 'approved')).toThrow(/requester/);
    expect(() => decide(s, 'alice', 'approved')).toThrow(/requester/);
    expect(decide(s, 'bob', 'approved')).toEqual({ final: false });
    const once = subject({
      reviewer_strategy: 'four_eyes',
      votes: [{ reviewer_id: 'bob', decision: 'approved' }],
    });
    expect(() => decide(once, 'bob', 'approved')).toThrow(ConflictError);
    expect(decide(once, 'carol', 'approved')).toEqual({ final: true, status: 'approved' });
    expect(decide(once, 'carol', 'modified')).toEqual({ final: true, status: 'modified' });
  });

  it('four_eyes: one rejection decides at once', () => {
    expect(decide(subject({ reviewer_strategy: 'four_eyes' }), 'bob', 'rejected')).toEqual({
      final: true,
      status: 'rejected',
    });
  });
});
