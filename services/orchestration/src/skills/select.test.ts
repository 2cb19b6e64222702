import { loadAgents } from '../agents';
import { SKILLS } from './library';
import { mentions, selectSkills, skillManifests } from './select';

const catalog = loadAgents();
const rule32 = catalog.byType('rule_32')!;
const rule37 = catalog.byType('rule_37')!;

describe('selectSkills', () => {
  it('selects the agent’s skills a keyword or a tool of the run triggers, in the agent’s order', () => {
    const picked = selectSkills({
      agent: rule32,
      userMessage: 'What are the CO2e emissions of well 42-317-30000?',
      toolNames: ['flaring_assess'],
      alreadyInjected: [],
    });
    expect(picked.map((s) => s.skill_id)).toEqual([
      'well-context',
      'rule32-flaring-assessment',
      'emissions-estimate',
    ]);
  });

  it('never selects a skill the conversation already received, nor one of another agent', () => {
    const picked = selectSkills({
      agent: rule37,
      userMessage: 'flaring emissions and spacing',
      toolNames: ['rule37_spacing'],
      alreadyInjected: ['rule37-spacing-analysis'],
    });
    expect(picked.map((s) => s.skill_id)).toEqual([]);
  });

  it('is deterministic', () => {
    const input = { agent: rule37, userMessage: 'File a W-1 exception', toolNames: [], alreadyInjected: [] };
    expect(selectSkills(input)).toEqual(selectSkills(input));
    expect(selectSkills(input).map((s) => s.skill_id)).toEqual([
      'rule37-spacing-analysis',
      'w1-exception-filing',
    ]);
  });

  it('offers every agent skill as a one-line manifest', () => {
    expect(skillManifests(rule32)).toEqual(
      rule32.skills.map((id) => {
        const s = SKILLS.find((x) => x.skill_id === id)!;
        return { skill_id: id, version: s.version, name: s.name, summary: s.summary };
      }),
    );
  });

  it('carries the rule text of Rules 32 and 37 as artifacts', () => {
    const text = SKILLS.flatMap((s) =>
      s.artifacts.filter((a) => a.kind === 'rule_text').map((a) => a.content),
    ).join(' ');
    expect(text).toContain('16 TAC §3.37');
    expect(text).toContain('467 feet');
    expect(text).toContain('16 TAC §3.32');
    expect(text).toContain('180 days');
  });
});

describe('mentions', () => {
  it.each([
    ['Is this a Rule-37 case?', 'rule 37', true],
    ['the W-1 form', 'w-1', true],
    ['flaring', 'flare', false],
    ['overdue deadlines', 'deadline', false],
    ['overdue deadlines', 'deadlines', true],
  ])('%s / %s → %s', (text, keyword, expected) => {
    expect(mentions(text, keyword)).toBe(expected);
  });
});
