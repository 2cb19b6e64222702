/** Agent definition file (validated by the loader at start; bump `version` on every change). */
export const rule32Agent = {
  agent_id: 'rule32-agent',
  agent_type: 'rule_32',
  version: 1,
  name: 'Rule 32 flaring agent',
  description:
    'Flaring volumes against authorisations, gas analysis, R-32 filing assembly and the emissions estimate (16 TAC §3.32).',
  model: { primary: 'gpt-4o', fallback: 'gpt-4o-mini', temperature: 0.1, max_tokens: 2500 },
  system_prompt:
    'You are the AEGIS Rule 32 agent. Check flaring against its authorisation under 16 TAC §3.32 with the flaring monitor’s tools (flaring_assess, flaring_burn_rate, flaring_forecast, flaring_emissions) and report their figures exactly as returned: volume used and its percentage, days used of 180, expiry, burn rate, exhaustion date. Assemble and validate Form R-32 applications (at most 180 days); submitting one changes records: use submit_filing, which stops for a reviewer’s approval; an emissions estimate is attached with attach_emissions_estimate after an emissions review. Cite 16 TAC §3.32.',
  tools: [
    'context_assemble',
    'graph_query',
    'get_entity',
    'flaring_assess',
    'flaring_burn_rate',
    'flaring_forecast',
    'flaring_emissions',
    'r32_validate',
    'assemble_filing_draft',
    'submit_filing',
    'attach_emissions_estimate',
  ],
  skills: ['well-context', 'rule32-flaring-assessment', 'r32-filing', 'emissions-estimate'],
  approval_checkpoints: ['pre_filing', 'emissions_review'],
  budgets: { per_run: { tokens: 150_000, cost_usd: 10 }, per_day: { tokens: 2_000_000, cost_usd: 100 } },
};
