import type { Skill } from '../agents/types';

/**
 * The skill library: documents in tiers (domain.md). The manifest (id, version, name, summary) is
 * offered to every planner turn; the definition (steps, requirements, output format, checkpoints) is
 * injected when the skill is selected; artifacts carry templates and rule text. Bump `version` on
 * any change of a skill.
 */

const RULE_37_TEXT =
  '16 TAC §3.37 (statewide spacing): no well may be drilled nearer than 467 feet to any property, lease or subdivision line, nor nearer than 1,200 feet to another well completed in or drilling to the same reservoir on the same lease, unless special field rules provide otherwise (a field rule, when present, governs). An exception may be granted to prevent waste or to protect correlative rights, on application (Form W-1) with notice to the affected offset operators. The standard proration unit is 40 acres.';

const RULE_32_TEXT =
  '16 TAC §3.32 (gas well gas and casinghead gas flared or vented): gas may not be flared or vented without an authorisation unless an exemption applies. An exception (Form R-32) is granted for at most 180 days at a time, for a maximum volume per day; a renewal needs a justification. Production reports code flared gas as disposition 10 and vented gas as 11.';

const EMISSIONS_TEXT =
  'Emissions of flaring: hydrocarbons burn at 98 % combustion efficiency by default; CO2 = CO2 in the gas + one mole of CO2 per carbon atom burned; uncombusted methane = (1 − efficiency) × methane. Vented gas releases its methane and CO2. 379.3 scf per lb-mole at 60 °F and 14.696 psia. CO2e = CO2 + 28 × CH4 + 265 × N2O (IPCC AR5, 100-year). Wells spudded after 2021-11-15 are subject to EPA NSPS OOOOb (40 CFR Part 60 Subpart OOOOb).';

export const SKILLS: readonly Skill[] = [
  {
    skill_id: 'well-context',
    version: 1,
    name: 'Well context',
    summary: 'Gather what the knowledge graph knows about a well before answering about it.',
    triggers: {
      keywords: ['well', 'lease', 'operator', 'field', 'permit'],
      tools: ['context_assemble', 'get_entity'],
    },
    definition: {
      steps: [
        'Identify the well by its API number (any format: dashes or not, 10, 12 or 14 digits).',
        'Assemble its context: lease, field, operator, permits, authorisations, recent flaring, offsets, regulations, deadlines.',
        'Answer from those facts; name each fact’s entity id.',
      ],
      requirements: ['A Texas API number (state code 42) or an entity id.'],
      output_format:
        'A short summary: well name and API, status, lease, field, operator, then what was asked.',
      checkpoints: [],
    },
    artifacts: [],
  },
  {
    skill_id: 'rule37-spacing-analysis',
    version: 1,
    name: 'Rule 37 spacing analysis',
    summary: 'Measure a location against the Rule 37 lease-line and between-well minimums (16 TAC §3.37).',
    triggers: {
      keywords: ['spacing', 'rule 37', 'offset', 'lease line', 'distance', 'exception', 'w-1'],
      tools: ['rule37_spacing'],
    },
    definition: {
      steps: [
        'Find the applicable minimums: the field rules when the field has them, else 467 ft / 1,200 ft statewide.',
        'Measure the great-circle distance to every offset well within the radius, nearest first.',
        'Measure the distance to the lease line when a surveyed boundary or distance is known.',
        'List each violation with its shortfall; a violation needs a Rule 37 exception (Form W-1).',
      ],
      requirements: ['The well or the proposed location with its lease.'],
      output_format:
        'Minimums and their source, nearest offset distance, each violation (distance, minimum, shortfall), and whether an exception is required, citing 16 TAC §3.37.',
      checkpoints: [],
    },
    artifacts: [{ name: 'rule-37', kind: 'rule_text', content: RULE_37_TEXT }],
  },
  {
    skill_id: 'w1-exception-filing',
    version: 1,
    name: 'W-1 Rule 37 exception filing',
    summary: 'Assemble a Form W-1 Rule 37 exception with a good-cause narrative and file it after review.',
    triggers: {
      keywords: ['file', 'filing', 'w-1', 'w1', 'exception', 'good cause', 'submit'],
      tools: ['assemble_filing_draft', 'file_spacing_exception'],
    },
    definition: {
      steps: [
        'Run the spacing analysis of the well.',
        'Assemble the W-1 draft: operator, lease, field, location, violations, offset operators to notify.',
        'Write the good-cause narrative (prevention of waste or protection of correlative rights).',
        'File it with file_spacing_exception: the run stops for the good_cause_review approval.',
      ],
      requirements: ['A spacing violation (otherwise no exception is needed).'],
      output_format: 'The draft’s checklist and narrative, then the approval it waits for.',
      checkpoints: ['pre_filing', 'good_cause_review'],
    },
    artifacts: [
      { name: 'rule-37', kind: 'rule_text', content: RULE_37_TEXT },
      {
        name: 'good-cause-narrative',
        kind: 'template',
        content:
          '{operator} requests an exception to 16 TAC §3.37 for {well} on the {lease} lease. The location is {violations}. Good cause: {reason}. Notice will be given to the offset operators ({offset_operators}).',
      },
    ],
  },
  {
    skill_id: 'rule32-flaring-assessment',
    version: 1,
    name: 'Rule 32 flaring assessment',
    summary:
      'Check flaring against its Rule 32 authorisation: volume used, days used, burn rate, exhaustion date.',
    triggers: {
      keywords: [
        'flaring',
        'flare',
        'flared',
        'authorisation',
        'authorization',
        'rule 32',
        'burn rate',
        'venting',
      ],
      tools: ['flaring_assess', 'flaring_burn_rate', 'flaring_forecast'],
    },
    definition: {
      steps: [
        'Assess the well’s authorisations with the flaring monitor: cumulative volume, percentage used, days used.',
        'Take the burn rate over the trailing 7 days and the forecast exhaustion date.',
        'Report the monitor’s figures as they are (never recompute them), with the alert levels: ≥ 80 % warning, ≥ 100 % critical, day 150 of 180 warning, expired or unauthorised critical.',
      ],
      requirements: ['A well API number or an authorisation id.'],
      output_format:
        'Per authorisation: used volume of authorised volume (percentage), days used of 180, expiry, burn rate, exhaustion date, level; citing 16 TAC §3.32.',
      checkpoints: [],
    },
    artifacts: [{ name: 'rule-32', kind: 'rule_text', content: RULE_32_TEXT }],
  },
  {
    skill_id: 'r32-filing',
    version: 1,
    name: 'R-32 flaring exception filing',
    summary: 'Assemble, validate and submit a Form R-32 flaring exception (at most 180 days).',
    triggers: {
      keywords: ['r-32', 'r32', 'renew', 'renewal', 'file', 'filing', 'application', 'submit'],
      tools: ['assemble_filing_draft', 'r32_validate', 'submit_filing'],
    },
    definition: {
      steps: [
        'Assess the current authorisation and burn rate.',
        'Assemble the R-32 draft: operator, lease, wells, volume, start and end (≤ 180 days), reason, gathering plan.',
        'Validate it with the pre-filing validation and fix every error.',
        'Submit with submit_filing: the run stops for the pre_filing approval.',
      ],
      requirements: ['The well’s operator, lease and district.'],
      output_format: 'The application, the validation issues, the checklist, then the approval it waits for.',
      checkpoints: ['pre_filing'],
    },
    artifacts: [{ name: 'rule-32', kind: 'rule_text', content: RULE_32_TEXT }],
  },
  {
    skill_id: 'emissions-estimate',
    version: 1,
    name: 'Flaring emissions estimate',
    summary: 'Estimate CO2, CH4, N2O and CO2e of flared and vented gas (IPCC AR5 GWPs).',
    triggers: {
      keywords: ['emission', 'emissions', 'co2', 'co2e', 'methane', 'ghg', 'greenhouse', 'oooob'],
      tools: ['flaring_emissions', 'attach_emissions_estimate'],
    },
    definition: {
      steps: [
        'Compute the emissions with the flaring monitor from the well’s flare events or a volume.',
        'Say whether a gas analysis or the default composition was used.',
        'Note NSPS OOOOb for wells spudded after 2021-11-15.',
        'To put the estimate on file, attach_emissions_estimate: the run stops for the emissions_review approval.',
      ],
      requirements: ['A well or a volume with its disposition.'],
      output_format: 'Metric tons of CO2, CH4, N2O and CO2e, the volume, the composition source.',
      checkpoints: ['emissions_review'],
    },
    artifacts: [{ name: 'emissions', kind: 'rule_text', content: EMISSIONS_TEXT }],
  },
  {
    skill_id: 'deadline-monitoring',
    version: 1,
    name: 'Deadline and production monitoring',
    summary: 'Report approaching and overdue deadlines, production anomalies and the riskiest wells.',
    triggers: {
      keywords: ['deadline', 'deadlines', 'due', 'overdue', 'risk', 'production', 'form pr', 'compliance'],
      tools: ['compliance_deadlines', 'compliance_production', 'compliance_risk', 'compliance_dashboard'],
    },
    definition: {
      steps: [
        'List the deadlines as alerts: critical (overdue or due within 7 days), warning (within 30), info.',
        'List production anomalies (allowable exceeded, gas-oil ratio, zero production, unauthorised flaring).',
        'Rank the wells by risk score.',
        'Raise a compliance_alert approval for critical findings when the agent is told to.',
      ],
      requirements: [],
      output_format: 'Counts by level, the critical items first with their dates, then the top risks.',
      checkpoints: ['compliance_alert'],
    },
    artifacts: [],
  },
  {
    skill_id: 'flaring-monitoring',
    version: 1,
    name: 'Flaring monitoring',
    summary: 'Sweep every authorisation and flaring well for Rule 32 alerts and summarise them.',
    triggers: {
      keywords: ['monitor', 'alerts', 'sweep', 'unauthorised', 'unauthorized', 'exceed', 'expired'],
      tools: ['flaring_assess'],
    },
    definition: {
      steps: [
        'Assess the whole tenant with the flaring monitor.',
        'Summarise critical alerts first (over volume, expired, unauthorised flaring), then warnings.',
        'Raise a compliance_alert approval for critical findings when the agent is told to.',
      ],
      requirements: [],
      output_format:
        'Counts by level, then each critical and warning alert with its figures; citing 16 TAC §3.32.',
      checkpoints: ['compliance_alert'],
    },
    artifacts: [{ name: 'rule-32', kind: 'rule_text', content: RULE_32_TEXT }],
  },
];
