import { resourceId } from '@aegis/common';
import { z } from 'zod';
import type { Dashboard, DeadlineReport, ProductionReport, RiskReport } from './answers';
import { asOf, compliance, defined, defineTool, queryString, wellId } from './define';

/** The compliance-monitor tools: deadlines, production anomalies and risk as the monitor reports them. */

const operatorId = resourceId().describe('An Operator entity id (e.g. OP-123456).');
const scope = {
  as_of: asOf,
  operator_id: operatorId.optional(),
  well_ids: z.array(wellId).min(1).max(1000).optional().describe('Only these wells (API numbers).'),
};
const oneScope = (b: { operator_id?: string; well_ids?: string[] }) =>
  b.operator_id === undefined || b.well_ids === undefined;
const scopeMessage = { message: 'give operator_id or well_ids, not both', path: ['well_ids'] };
const months = z.number().int().min(1).max(60).optional().describe('Months of production (default 12).');

export const complianceDeadlinesTool = defineTool({
  name: 'compliance_deadlines',
  description:
    'Approaching and overdue deadlines (permits, Rule 32 authorisation expiries and renewals, Form PR) as alerts: critical (overdue or within 7 days), warning (within 30 days), info.',
  input: z
    .strictObject({
      ...scope,
      window_days: z.number().int().min(0).max(3650).optional().describe('Due within (default 90).'),
    })
    .refine(oneScope, scopeMessage),
  run: (args, ctx) => compliance<DeadlineReport>(ctx, 'POST', '/compliance/deadlines', defined(args)),
});

export const complianceProductionTool = defineTool({
  name: 'compliance_production',
  description:
    'Production anomalies: allowable exceeded, gas-oil ratio over the limit, active wells with zero production, flaring without authorisation.',
  input: z.strictObject({ ...scope, months }).refine(oneScope, scopeMessage),
  run: (args, ctx) => compliance<ProductionReport>(ctx, 'POST', '/compliance/production', defined(args)),
});

export const complianceRiskTool = defineTool({
  name: 'compliance_risk',
  description:
    'A 0–100 compliance risk score per well (deadline proximity, open issues, violation history, flaring exposure), ranked highest first.',
  input: z.strictObject({ ...scope, months }).refine(oneScope, scopeMessage),
  run: (args, ctx) => compliance<RiskReport>(ctx, 'POST', '/compliance/risk-score', defined(args)),
});

export const complianceDashboardTool = defineTool({
  name: 'compliance_dashboard',
  description: 'Deadlines, production anomalies, governing rules and risk for one operator’s wells.',
  input: z.strictObject({
    operator_id: operatorId,
    as_of: asOf,
    window_days: z.number().int().min(0).max(3650).optional(),
    months,
  }),
  run: ({ operator_id, ...query }, ctx) =>
    compliance<Dashboard>(
      ctx,
      'GET',
      `/compliance/dashboard/${encodeURIComponent(operator_id)}${queryString(query)}`,
    ),
});
