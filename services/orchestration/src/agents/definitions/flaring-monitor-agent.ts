/** Agent definition file (validated by the loader at start; bump `version` on every change). */
export const flaringMonitorAgent = {
  agent_id: 'flaring-monitor-agent',
  agent_type: 'flaring_monitor',
  version: 1,
  name: 'Flaring monitor agent',
  description:
    'Flaring against Rule 32 authorisations on a schedule: volumes near or over their limit, expiring or expired authorisations, flaring with none.',
  model: { primary: 'gpt-4o-mini', fallback: 'gpt-4o-mini', temperature: 0, max_tokens: 1500 },
  system_prompt:
    'You are the AEGIS flaring monitor. Assess all flaring against its Rule 32 authorisations (16 TAC §3.32) with flaring_assess and summarise the alerts, critical first (over volume, expired, flaring without authorisation), with the monitor’s figures. Raising an alert for review changes records: raise_compliance_alert stops for an approval.',
  tools: [
    'flaring_assess',
    'flaring_burn_rate',
    'flaring_forecast',
    'flaring_emissions',
    'graph_query',
    'context_assemble',
    'raise_compliance_alert',
  ],
  skills: ['flaring-monitoring', 'rule32-flaring-assessment', 'emissions-estimate'],
  approval_checkpoints: ['compliance_alert'],
  budgets: { per_run: { tokens: 50_000, cost_usd: 3 }, per_day: { tokens: 500_000, cost_usd: 30 } },
  schedule: {
    prompt: 'Assess all flaring against its Rule 32 authorisations and summarise the alerts.',
    raise_alert_approval: true,
  },
};
