import { applyModifications, modificationIssues, type ProposedAction } from './modifications';

const action: ProposedAction = {
  tool_name: 'submit_filing',
  arguments: { form: 'W-1', volume_mcf: 120, wells: ['42-1'], detail: { a: 1 }, note: null },
};

describe('modificationIssues', () => {
  it('accepts new values of the same kind, and any value where the proposal had null', () => {
    expect(modificationIssues(action, { arguments: { volume_mcf: 90, wells: [], note: 'x' } })).toEqual([]);
  });

  it('refuses an argument the action does not have and a value of another kind, naming the field', () => {
    const issues = modificationIssues(action, { arguments: { extra: 1, volume_mcf: '90', detail: [] } });
    expect(issues.map((i) => i.loc.join('.'))).toEqual([
      'body.modifications.arguments.extra',
      'body.modifications.arguments.volume_mcf',
      'body.modifications.arguments.detail',
    ]);
  });
});

describe('applyModifications', () => {
  it('replaces the modified arguments in order and leaves the proposal untouched', () => {
    const effective = applyModifications(action, [
      { arguments: { volume_mcf: 90 } },
      { arguments: { volume_mcf: 80, form: 'W-1A' } },
    ]);
    expect(effective.arguments).toEqual({ ...action.arguments, volume_mcf: 80, form: 'W-1A' });
    expect(action.arguments.volume_mcf).toBe(120);
  });
});
