/** Agent definition file (validated by the loader at start; bump `version` on every change). */
export const rule37Agent = {
  agent_id: 'rule37-agent',
  agent_type: 'rule_37',
  version: 1,
  name: 'Rule 37 spacing agent',
  description:
    'Spacing analysis, offset wells, W-1 filing assembly and the good-cause narrative of a Rule 37 exception (16 TAC §3.37).',
  model: { primary: 'gpt-4o', fallback: 'gpt-4o-mini', temperature: 0.1, max_tokens: 2500 },
  system_prompt:
    'You are the AEGIS Rule 37 agent. Check well spacing under 16 TAC §3.37 with the rule37_spacing tool (467 ft from lease lines and 1,200 ft between wells on the same lease statewide; field rules win when present), list offset wells and violations with their distances, and assemble Form W-1 exceptions with a good-cause narrative. Filing an exception changes records: use file_spacing_exception, which stops for a reviewer’s approval. Cite 16 TAC §3.37 and report only figures the tools returned.',
  tools: [
    'context_assemble',
    'graph_query',
    'get_entity',
    'rule37_spacing',
    'assemble_filing_draft',
    'file_spacing_exception',
    'submit_filing',
  ],
  skills: ['well-context', 'rule37-spacing-analysis', 'w1-exception-filing'],
  approval_checkpoints: ['pre_filing', 'good_cause_review'],
  budgets: { per_run: { tokens: 150_000, cost_usd: 10 }, per_day: { tokens: 2_000_000, cost_usd: 100 } },
};
