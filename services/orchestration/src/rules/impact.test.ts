import { ruleChangeRequest } from './impact';
import type { Rule, RuleVersion } from './store/rules';

const rule: Rule = {
  rule_id: 'rul-rule-37',
  rule_key: 'rule_37',
  kind: 'rule_37',
  title: 'Rule 37 — Statewide spacing',
  citation: '16 TAC §3.37',
  agency: 'RRC',
  description: '',
  graph_entity: { label: 'Regulation', id: 'REG-TAC-3.37' },
  source: 'bundled',
  status: 'active',
  active_version: 2,
  latest_version: 2,
  created_by: 'system',
  created_at: '2026-11-01T08:00:00.000Z',
  updated_at: '2026-11-02T08:00:00.000Z',
};

const version: RuleVersion = {
  rule_id: 'rul-rule-37',
  version: 2,
  status: 'active',
  parameters: {},
  note: '1,320 ft between wells',
  effective_from: null,
  created_by: 'ada',
  created_at: '2026-11-01T09:00:00.000Z',
  activated_at: '2026-11-02T10:00:00.000Z',
  activated_by: 'ada',
  superseded_at: null,
  retired_at: null,
  retired_by: null,
  updated_at: '2026-11-02T10:00:00.000Z',
};

describe('ruleChangeRequest', () => {
  it('asks about the rule’s Regulation from the activation day, naming citation, version and note', () => {
    expect(ruleChangeRequest(rule, version)).toEqual({
      regulation_id: 'REG-TAC-3.37',
      description: '16 TAC §3.37 version 2 is active: 1,320 ft between wells',
      effective_date: '2026-11-02',
    });
  });

  it('uses the version’s effective date and the key of a field rule', () => {
    const fieldRule: Rule = { ...rule, graph_entity: { label: 'Field', id: 'FLD-SPRABERRY' } };
    expect(ruleChangeRequest(fieldRule, { ...version, note: null, effective_from: '2027-01-01' })).toEqual({
      field_id: 'FLD-SPRABERRY',
      description: '16 TAC §3.37 version 2 is active',
      effective_date: '2027-01-01',
    });
  });

  it('has nothing to ask for a rule linked to no graph entity', () => {
    expect(ruleChangeRequest({ ...rule, graph_entity: null }, version)).toBeUndefined();
  });
});
