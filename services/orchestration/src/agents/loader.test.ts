import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_DEFINITIONS } from './definitions';
import { AgentDefinitionError, loadAgents } from './loader';

const rule32 = BUNDLED_DEFINITIONS['rule32-agent'] as Record<string, unknown>;

function dirWith(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-'));
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('loadAgents', () => {
  it('loads the five agents of the domain table with their budgets and checkpoints', () => {
    const catalog = loadAgents();
    expect(catalog.list().map((a) => [a.agent_id, a.agent_type])).toEqual([
      ['general-assistant', 'general'],
      ['rule37-agent', 'rule_37'],
      ['rule32-agent', 'rule_32'],
      ['compliance-monitor-agent', 'compliance_monitor'],
      ['flaring-monitor-agent', 'flaring_monitor'],
    ]);
    const budgets = Object.fromEntries(catalog.list().map((a) => [a.agent_type, a.budgets]));
    expect(budgets.general).toEqual({
      per_run: { tokens: 50_000, cost_usd: 3 },
      per_day: { tokens: 500_000, cost_usd: 30 },
    });
    for (const t of ['rule_37', 'rule_32'])
      expect(budgets[t]).toEqual({
        per_run: { tokens: 150_000, cost_usd: 10 },
        per_day: { tokens: 2_000_000, cost_usd: 100 },
      });
    for (const t of ['compliance_monitor', 'flaring_monitor'])
      expect(budgets[t]).toEqual({
        per_run: { tokens: 50_000, cost_usd: 3 },
        per_day: { tokens: 500_000, cost_usd: 30 },
      });
    expect(catalog.byType('rule_37')?.approval_checkpoints).toEqual(['pre_filing', 'good_cause_review']);
    expect(catalog.byType('rule_32')?.approval_checkpoints).toEqual(['pre_filing', 'emissions_review']);
    expect(catalog.byId('general-assistant')?.approval_checkpoints).toEqual([]);
    expect(catalog.byType('flaring_monitor')?.schedule?.prompt).toBeTruthy();
    expect(catalog.byId('nope')).toBeUndefined();
    expect(Object.isFrozen(catalog.byId('rule32-agent')!.tools)).toBe(true);
  });

  it('replaces a bundled agent of the same id and adds new ones from AGENTS_DIR', () => {
    const dir = dirWith({
      'b.json': {
        ...rule32,
        version: 2,
        budgets: { per_run: { tokens: 100, cost_usd: 0.01 }, per_day: { tokens: 1000, cost_usd: 1 } },
      },
      'a.json': { ...rule32, agent_id: 'rule32-lite', name: 'Lite' },
      'notes.txt': 'ignored',
    });
    const catalog = loadAgents(dir);
    expect(catalog.list().map((a) => a.agent_id)).toEqual([
      'general-assistant',
      'rule37-agent',
      'rule32-agent',
      'compliance-monitor-agent',
      'flaring-monitor-agent',
      'rule32-lite',
    ]);
    expect(catalog.byId('rule32-agent')).toMatchObject({ version: 2, budgets: { per_run: { tokens: 100 } } });
  });

  it.each([
    ['a missing field', { ...rule32, system_prompt: undefined }, 'system_prompt'],
    ['an unknown agent type', { ...rule32, agent_type: 'rule_99' }, 'agent_type'],
    [
      'a negative budget',
      { ...rule32, budgets: { per_run: { tokens: -1, cost_usd: 1 }, per_day: { tokens: 1, cost_usd: 1 } } },
      'budgets.per_run.tokens',
    ],
    ['an unknown tool', { ...rule32, tools: ['flaring_assess', 'launch_rockets'] }, 'tools.1'],
    ['an unknown skill', { ...rule32, skills: ['nope'] }, 'skills.0'],
    [
      'a checkpoint its type does not have',
      { ...rule32, approval_checkpoints: ['pre_filing', 'good_cause_review'] },
      'approval_checkpoints.1',
    ],
    [
      'a mutating tool without its checkpoint',
      { ...rule32, approval_checkpoints: ['emissions_review'] },
      'tools.9',
    ],
  ])('refuses a file with %s, naming the file and the field', (_what, content, field) => {
    const dir = dirWith({ 'bad.json': content });
    let error: unknown;
    try {
      loadAgents(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AgentDefinitionError);
    expect(error).toMatchObject({ file: path.join(dir, 'bad.json'), field });
    expect((error as Error).message).toContain('bad.json');
  });

  it('refuses a file that is not JSON', () => {
    expect(() => loadAgents(dirWith({ 'x.json': '{nope' }))).toThrow(/x\.json: is not JSON/);
  });
});
