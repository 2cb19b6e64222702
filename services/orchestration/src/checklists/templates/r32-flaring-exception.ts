import type { ChecklistTemplate } from './schema';

/**
 * Form R-32: application for an exception to flare or vent gas (16 TAC §3.32). The items follow the
 * pre-filing validation of the rule: identifiers well-formed, volume and duration within limits (at
 * most 180 days at a time), a reason and a gathering-line connection plan (flagged when none, or when
 * the connection is more than 60 days away), gas analysis when an emissions estimate is requested.
 * Validated by `loadChecklistTemplates` (data, not code: a new version is a new entry).
 */
export const R32_FLARING_EXCEPTION: ChecklistTemplate = {
  template_id: 'r32-flaring-exception',
  version: 1,
  title: 'Form R-32 — exception to flare or vent gas',
  form_type: 'R-32',
  agent_type: 'rule_32',
  rule: '16 TAC §3.32',
  entity_labels: ['Well', 'Lease'],
  items: [
    {
      label: 'Operator, lease and well identifiers',
      item_type: 'data',
      required: true,
      tool_name: 'context_assemble',
      description:
        'RRC operator number (P-5), lease number and API number of each well, present and well-formed.',
    },
    {
      label: 'Requested volume within limits',
      item_type: 'calculation',
      required: true,
      tool_name: 'r32_validate',
      description: 'Requested flaring volume (mcf per day) within the limits of 16 TAC §3.32.',
    },
    {
      label: 'Requested duration (at most 180 days)',
      item_type: 'data',
      required: true,
      tool_name: 'r32_validate',
      description:
        'An exception is granted for at most 180 days at a time (16 TAC §3.32); a renewal needs a justification.',
    },
    {
      label: 'Reason for flaring',
      item_type: 'data',
      required: true,
      tool_name: 'r32_validate',
      description: 'Why the gas cannot be marketed or used (e.g. no pipeline takeaway, upset, testing).',
    },
    {
      label: 'Gathering-line connection plan',
      item_type: 'document',
      required: true,
      tool_name: 'r32_validate',
      description:
        'The plan and date for connecting to a gathering line; flagged when there is none or the connection is more than 60 days away.',
    },
    {
      label: 'Current flaring against the authorisation',
      item_type: 'calculation',
      required: true,
      tool_name: 'flaring_assess',
      description:
        'Cumulative flared volume and days used against any existing authorisation (80 % / 150 days warn).',
    },
    {
      label: 'Burn rate and exhaustion forecast',
      item_type: 'calculation',
      required: false,
      tool_name: 'flaring_forecast',
      description:
        'Average daily flared volume (trailing 7 days) and the date the authorised volume runs out.',
    },
    {
      label: 'Gas analysis',
      item_type: 'document',
      required: false,
      tool_name: 'flaring_emissions',
      description: 'Laboratory gas analysis; required when an emissions estimate is requested.',
    },
    {
      label: 'Emissions estimate (CO2e)',
      item_type: 'calculation',
      required: false,
      tool_name: 'flaring_emissions',
      description: 'CO2, CH4 and CO2e of the requested volume at 98 % combustion efficiency.',
    },
    {
      label: 'Operator attestation',
      item_type: 'attestation',
      required: true,
      tool_name: null,
      description: 'The operator’s responsible person certifies the application is true and complete.',
    },
  ],
};
