import { loadAgents } from '../agents';
import { ALL_TOOLS, buildToolRegistry, TOOL_NAMES, toolSpecs } from './registry';

describe('the tool registry', () => {
  const registry = buildToolRegistry();

  it('holds every tool once, by name', () => {
    expect([...registry.keys()]).toEqual(TOOL_NAMES);
    expect(new Set(TOOL_NAMES).size).toBe(ALL_TOOLS.length);
    expect(() => buildToolRegistry([ALL_TOOLS[0], ALL_TOOLS[0]])).toThrow(/defined twice/);
  });

  it('offers each agent its tools as JSON schemas, the mutating ones marked', () => {
    for (const agent of loadAgents().list()) {
      const specs = toolSpecs(registry, agent.tools);
      expect(specs.map((s) => s.name)).toEqual(agent.tools);
      for (const s of specs) {
        expect(s.parameters).toMatchObject({ type: 'object' });
        expect(s.parameters).not.toHaveProperty('$schema');
        expect(JSON.stringify(s.parameters)).not.toContain('$ref');
        expect(s.description.length).toBeGreaterThan(20);
        expect(JSON.parse(JSON.stringify(s.parameters))).toEqual(s.parameters);
      }
    }
    const rule37 = toolSpecs(registry, ['rule37_spacing', 'file_spacing_exception']);
    expect(rule37.map((s) => s.mutating)).toEqual([false, true]);
    expect(rule37[1].parameters).toMatchObject({
      required: expect.arrayContaining(['well_id', 'good_cause_narrative', 'summary']),
    });
    expect(() => toolSpecs(registry, ['nope'])).toThrow(/Unknown tool nope/);
  });

  it('marks exactly the tools that change records as mutating, each with its checkpoint', () => {
    const mutating = ALL_TOOLS.filter((t) => t.mutating).map((t) => [t.name, t.mutating!.checkpoint]);
    expect(mutating).toEqual([
      ['submit_filing', 'pre_filing'],
      ['file_spacing_exception', 'good_cause_review'],
      ['attach_emissions_estimate', 'emissions_review'],
      ['raise_compliance_alert', 'compliance_alert'],
    ]);
  });
});
