import {
  dashboardParams,
  dashboardQuery,
  deadlinesBody,
  productionBody,
  riskBody,
} from '@aegis/compliance-monitor';
import type { Dashboard } from './answers';
import { compliance, defineTool, postTool, queryString } from './define';

/** The compliance-monitor tools: deadlines, production anomalies and risk as the monitor reports
 * them. Their inputs are the monitor's own request schemas (scope: `operator_id` or `well_ids`, or
 * neither for every well of the tenant). */

export const complianceDeadlinesTool = postTool('compliance-monitor', '/compliance/deadlines', {
  name: 'compliance_deadlines',
  description:
    'Approaching and overdue deadlines (permits, Rule 32 authorisation expiries and renewals, Form PR) as alerts: critical (overdue or within 7 days), warning (within 30 days), info.',
  input: deadlinesBody,
});

export const complianceProductionTool = postTool('compliance-monitor', '/compliance/production', {
  name: 'compliance_production',
  description:
    'Production anomalies: allowable exceeded, gas-oil ratio over the limit, active wells with zero production, flaring without authorisation.',
  input: productionBody,
});

export const complianceRiskTool = postTool('compliance-monitor', '/compliance/risk-score', {
  name: 'compliance_risk',
  description:
    'A 0–100 compliance risk score per well (deadline proximity, open issues, violation history, flaring exposure), ranked highest first.',
  input: riskBody,
});

export const complianceDashboardTool = defineTool({
  name: 'compliance_dashboard',
  description: 'Deadlines, production anomalies, governing rules and risk for one operator’s wells.',
  input: dashboardParams.extend(dashboardQuery.shape).strict(),
  run: ({ operator_id, ...query }, ctx) =>
    compliance<Dashboard>(
      ctx,
      'GET',
      `/compliance/dashboard/${encodeURIComponent(operator_id)}${queryString(query)}`,
    ),
});
