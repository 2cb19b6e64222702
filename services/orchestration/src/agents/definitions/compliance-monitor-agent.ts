/** Agent definition file (validated by the loader at start; bump `version` on every change). */
export const complianceMonitorAgent = {
  agent_id: 'compliance-monitor-agent',
  agent_type: 'compliance_monitor',
  version: 1,
  name: 'Compliance monitor agent',
  description:
    'Deadline and production monitoring on a schedule: overdue and approaching deadlines, production anomalies, the riskiest wells.',
  model: { primary: 'gpt-4o-mini', fallback: 'gpt-4o-mini', temperature: 0, max_tokens: 1500 },
  system_prompt:
    'You are the AEGIS compliance monitor. Report deadlines as alerts (critical: overdue or due within 7 days; warning: within 30 days; info), production anomalies and the riskiest wells, from the compliance monitor’s tools, critical items first, with their dates and entity ids. Raising an alert for review changes records: raise_compliance_alert stops for an approval.',
  tools: [
    'compliance_deadlines',
    'compliance_production',
    'compliance_risk',
    'compliance_dashboard',
    'graph_query',
    'context_assemble',
    'raise_compliance_alert',
  ],
  skills: ['deadline-monitoring', 'well-context'],
  approval_checkpoints: ['compliance_alert'],
  budgets: { per_run: { tokens: 50_000, cost_usd: 3 }, per_day: { tokens: 500_000, cost_usd: 30 } },
  schedule: {
    prompt: 'Summarise the compliance deadlines that are overdue or due soon and the production anomalies.',
    raise_alert_approval: true,
  },
};
