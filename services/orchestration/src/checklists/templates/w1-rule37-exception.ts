import type { ChecklistTemplate } from './schema';

/**
 * Form W-1 (application for a permit to drill) with a Rule 37 spacing exception (16 TAC §3.37). The
 * spacing items compare the location with the statewide minimums (467 ft from any lease or property
 * line, 1,200 ft between wells on the same lease in the same reservoir) or the field rule, which wins
 * when present; an exception needs a good-cause narrative and notice to the offset operators.
 */
export const W1_RULE37_EXCEPTION: ChecklistTemplate = {
  template_id: 'w1-rule37-exception',
  version: 1,
  title: 'Form W-1 with a Rule 37 spacing exception',
  form_type: 'W-1',
  agent_type: 'rule_37',
  rule: '16 TAC §3.37',
  entity_labels: ['Well'],
  items: [
    {
      label: 'Well, lease and field identifiers',
      item_type: 'data',
      required: true,
      tool_name: 'context_assemble',
      description: 'API number, lease, field and operator (P-5) of the proposed well.',
    },
    {
      label: 'Location plat',
      item_type: 'document',
      required: true,
      tool_name: null,
      description: 'Surveyor’s plat with the surface and bottom-hole locations and the lease lines.',
    },
    {
      label: 'Distance to lease lines',
      item_type: 'calculation',
      required: true,
      tool_name: 'rule37_spacing',
      description: 'Distance to the nearest lease or property line against 467 ft or the field rule.',
    },
    {
      label: 'Distance to offset wells',
      item_type: 'calculation',
      required: true,
      tool_name: 'rule37_spacing',
      description:
        'Distance to wells on the same lease in the same reservoir against 1,200 ft or the field rule.',
    },
    {
      label: 'Applicable field rules',
      item_type: 'data',
      required: false,
      tool_name: 'graph_query',
      description: 'Field rules that override the statewide spacing, with their distances.',
    },
    {
      label: 'Offset operators notified',
      item_type: 'document',
      required: true,
      tool_name: 'graph_query',
      description: 'The list of offset operators and the proof of notice sent to them.',
    },
    {
      label: 'Good-cause narrative',
      item_type: 'document',
      required: true,
      tool_name: 'assemble_filing_draft',
      description: 'Why the exception is needed (e.g. to prevent waste or protect correlative rights).',
    },
    {
      label: 'W-1 form data',
      item_type: 'data',
      required: true,
      tool_name: 'assemble_filing_draft',
      description: 'The W-1 fields assembled from the well, lease and spacing results.',
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
