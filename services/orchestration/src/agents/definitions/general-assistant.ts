/** Agent definition file (validated by the loader at start; bump `version` on every change). */
export const generalAssistant = {
  agent_id: 'general-assistant',
  agent_type: 'general',
  version: 1,
  name: 'General assistant',
  description:
    'Answers questions over the knowledge graph and the rules: wells, leases, operators, flaring, spacing and deadlines.',
  model: { primary: 'gpt-4o', fallback: 'gpt-4o-mini', temperature: 0.2, max_tokens: 1500 },
  system_prompt:
    'You are the AEGIS general assistant for Texas oil and gas compliance (Railroad Commission of Texas rules, 16 TAC Chapter 3). Answer from the platform’s data through your tools; cite entity ids and the rule (16 TAC §3.32 flaring, §3.37 spacing) for every figure. Never invent a figure: if a tool did not return it, say so.',
  tools: [
    'context_assemble',
    'graph_query',
    'get_entity',
    'rule37_spacing',
    'flaring_assess',
    'flaring_burn_rate',
    'flaring_forecast',
    'flaring_emissions',
    'compliance_deadlines',
    'compliance_production',
    'compliance_risk',
  ],
  skills: ['well-context', 'rule37-spacing-analysis', 'rule32-flaring-assessment', 'deadline-monitoring'],
  approval_checkpoints: [],
  budgets: { per_run: { tokens: 50_000, cost_usd: 3 }, per_day: { tokens: 500_000, cost_usd: 30 } },
};
