import { BUNDLED_TEMPLATES, loadChecklistTemplates } from './catalog';
import { R32_FLARING_EXCEPTION } from './r32-flaring-exception';

/** The tool names of the orchestration's registry the bundled templates use (tools/registry.ts). */
const REGISTRY_TOOLS = [
  'context_assemble',
  'graph_query',
  'get_entity',
  'r32_validate',
  'flaring_assess',
  'flaring_burn_rate',
  'flaring_forecast',
  'flaring_emissions',
  'rule37_spacing',
  'assemble_filing_draft',
  'submit_filing',
];

describe('loadChecklistTemplates', () => {
  it('loads the bundled R-32 and W-1 templates, newest version by id', () => {
    const catalog = loadChecklistTemplates({ toolNames: REGISTRY_TOOLS });
    expect(catalog.list().map((t) => `${t.template_id}@${t.version}`)).toEqual([
      'r32-flaring-exception@1',
      'w1-rule37-exception@1',
    ]);
    expect(catalog.get('w1-rule37-exception')).toMatchObject({ form_type: 'W-1', agent_type: 'rule_37' });
    expect(catalog.get('w1-rule37-exception', 2)).toBeUndefined();
  });

  it('takes a new version as data: get() answers the newest', () => {
    const v2 = { ...R32_FLARING_EXCEPTION, version: 2, title: 'R-32 (2027)' };
    const catalog = loadChecklistTemplates({ templates: [...BUNDLED_TEMPLATES, v2] });
    expect(catalog.get('r32-flaring-exception')?.title).toBe('R-32 (2027)');
    expect(catalog.get('r32-flaring-exception', 1)?.version).toBe(1);
  });

  it.each([
    [
      { ...R32_FLARING_EXCEPTION, items: [{ ...R32_FLARING_EXCEPTION.items[0], item_type: 'photo' }] },
      /r32-flaring-exception@1: items\.0\.item_type/,
    ],
    [{ ...R32_FLARING_EXCEPTION, items: [] }, /items/],
    [
      { ...R32_FLARING_EXCEPTION, items: [R32_FLARING_EXCEPTION.items[0], R32_FLARING_EXCEPTION.items[0]] },
      /items\.1\.label is given twice/,
    ],
    [{ ...R32_FLARING_EXCEPTION, agent_type: 'general' }, /agent_type/],
  ])('refuses a bad template naming it and the field (%#)', (bad, message) => {
    expect(() => loadChecklistTemplates({ templates: [bad] })).toThrow(message);
  });

  it('refuses an unknown tool and a version given twice', () => {
    expect(() => loadChecklistTemplates({ toolNames: ['context_assemble'] })).toThrow(
      /items\.1\.tool_name names an unknown tool r32_validate/,
    );
    expect(() =>
      loadChecklistTemplates({ templates: [R32_FLARING_EXCEPTION, R32_FLARING_EXCEPTION] }),
    ).toThrow(/version 1 is given twice/);
  });
});
