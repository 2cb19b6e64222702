import { checkpointIssues } from './checkpoints';

const base = {
  agent_type: 'rule_37' as const,
  checkpoint_type: 'pre_filing' as const,
  payload: { filing_type: 'W-1' },
  reviewer_strategy: 'any_reviewer',
};

describe('checkpointIssues', () => {
  it('accepts each agent checkpoint of the domain table', () => {
    expect(checkpointIssues(base)).toEqual([]);
    expect(checkpointIssues({ ...base, checkpoint_type: 'good_cause_review' })).toEqual([]);
    expect(checkpointIssues({ ...base, agent_type: 'rule_32', checkpoint_type: 'emissions_review' })).toEqual(
      [],
    );
    expect(
      checkpointIssues({
        ...base,
        agent_type: 'flaring_monitor',
        checkpoint_type: 'compliance_alert',
        payload: {},
      }),
    ).toEqual([]);
  });

  it('refuses a checkpoint the agent does not have, naming checkpoint_type', () => {
    const [issue] = checkpointIssues({
      ...base,
      agent_type: 'rule_32',
      checkpoint_type: 'good_cause_review',
    });
    expect(issue.loc).toEqual(['body', 'checkpoint_type']);
    expect(checkpointIssues({ ...base, agent_type: 'general' })[0].msg).toMatch(/no approval checkpoints/);
  });

  it('requires the filing type of a filing checkpoint and the reviewer of named_individual', () => {
    expect(checkpointIssues({ ...base, payload: {} }).map((i) => i.loc)).toEqual([
      ['body', 'payload', 'filing_type'],
    ]);
    expect(checkpointIssues({ ...base, reviewer_strategy: 'named_individual' }).map((i) => i.loc)).toEqual([
      ['body', 'reviewer_id'],
    ]);
  });
});
