import type { AgentDefinition } from '../agents/types';
import type { Assessment, DeadlineReport, Emissions, ProductionReport } from '../tools/answers';
import type { R32DraftResult, W1DraftResult } from '../tools/filing';
import { mentions } from '../skills/select';
import { readIntent, wellIdsIn, type Intent } from './intent';
import { headline, resultOf } from './headlines';
import { citations, newAlerts, renderOutcome, ruleText } from './templates';
import type {
  ChatMessage,
  Planner,
  PlannerTurn,
  PlannerTurnInput,
  ToolCallRequest,
  ToolOutcome,
} from './types';

/**
 * The offline planner (no model configured): routes a request to the agent's tools by intent (API
 * numbers in any form, authorisation / operator / lease ids, keywords, the agent's domain), then
 * writes the answer from templates with the tools' figures as they returned them. Deterministic:
 * the same request and results give the same calls and the same answer. Token usage is estimated
 * (characters / 4), the cost is 0 and the model `deterministic`.
 */
export const DETERMINISTIC_MODEL = 'deterministic';

type Call = Omit<ToolCallRequest, 'id'>;

const call = (name: string, args: Record<string, unknown>): Call => ({ name, arguments: args });

/** Words of a follow-up that refers to the well of an earlier message. */
const REFERS_BACK = ['it', 'its', 'this well', 'that well', 'the well', 'same well'];

/** The well a request is about when its text names none: the caller's `context.well_id`, the well
 * the engine assembled context for, else the last well an earlier user message of the conversation
 * named, when the request refers back to it ("and its emissions?"). */
function wellOf(input: PlannerTurnInput): string | undefined {
  const fromRequest = input.requestContext?.well_id;
  if (typeof fromRequest === 'string') return fromRequest;
  const well = (input.context as { well?: { entity_id?: unknown } } | undefined)?.well;
  if (typeof well?.entity_id === 'string') return well.entity_id;
  if (!REFERS_BACK.some((w) => mentions(input.userMessage, w))) return undefined;
  for (const m of [...input.messages].reverse())
    if (m.role === 'user') {
      const named = wellIdsIn(m.content);
      if (named.length > 0) return named[0];
    }
  return undefined;
}

/** The first calls of a run, by the agent's domain and the request. */
function firstCalls(agent: AgentDefinition, intent: Intent): Call[] {
  const well = intent.wells[0];
  const auth = intent.authorizations[0];
  const t = intent.topics;
  const calls: Call[] = [];
  const flaringScope = well ? { well_id: well } : auth ? { authorization_id: auth } : {};
  const complianceScope =
    intent.wells.length > 0
      ? { well_ids: intent.wells }
      : intent.operators[0]
        ? { operator_id: intent.operators[0] }
        : {};
  const spacingArgs = well
    ? { well_id: well }
    : intent.location && intent.leases[0]
      ? { ...intent.location, lease_id: intent.leases[0] }
      : undefined;
  // A question about the rules themselves is answered from the skills' rule text, not the data.
  if (
    intent.aboutRules &&
    agent.agent_type !== 'flaring_monitor' &&
    agent.agent_type !== 'compliance_monitor'
  )
    return [];
  switch (agent.agent_type) {
    case 'rule_32':
    case 'flaring_monitor': {
      const monitor = agent.agent_type === 'flaring_monitor';
      // A monitor sweeps the tenant; the Rule 32 agent does when flaring is asked about without a well.
      if (monitor || well || auth || t.has('flaring')) calls.push(call('flaring_assess', flaringScope));
      if (well || auth) {
        if (!monitor || t.has('forecast') || t.has('burn_rate')) {
          calls.push(call('flaring_forecast', flaringScope));
          calls.push(call('flaring_burn_rate', flaringScope));
        }
        if (t.has('emissions')) calls.push(call('flaring_emissions', well ? { well_id: well } : {}));
        // An R-32 draft when the request is about the application (filing the emissions estimate
        // alone is its own step).
        if (well && (t.has('r32') || t.has('validate') || (intent.filing && !t.has('emissions'))))
          calls.push(call('assemble_filing_draft', { form_type: 'R-32', well_id: well }));
      }
      break;
    }
    case 'rule_37':
      // Without a well, or a location and its lease, there is nothing to measure: the answer asks.
      if (spacingArgs) {
        calls.push(call('rule37_spacing', spacingArgs));
        if (well && (intent.filing || t.has('w1')))
          calls.push(call('assemble_filing_draft', { form_type: 'W-1', well_id: well }));
      }
      break;
    case 'compliance_monitor':
      if (
        intent.operators[0] &&
        intent.wells.length === 0 &&
        !t.has('deadlines') &&
        !t.has('production') &&
        !t.has('risk')
      )
        calls.push(call('compliance_dashboard', { operator_id: intent.operators[0] }));
      else {
        const all = !t.has('deadlines') && !t.has('production') && !t.has('risk');
        if (all || t.has('deadlines'))
          calls.push(
            call('compliance_deadlines', {
              ...complianceScope,
              ...(intent.windowDays !== undefined ? { window_days: intent.windowDays } : {}),
            }),
          );
        if (all || t.has('production')) calls.push(call('compliance_production', complianceScope));
        if (all || t.has('risk')) calls.push(call('compliance_risk', complianceScope));
      }
      break;
    case 'general':
      if (well) {
        calls.push(call('context_assemble', { well_id: well }));
        if (t.has('flaring') || t.has('burn_rate') || t.has('forecast'))
          calls.push(call('flaring_assess', { well_id: well }));
        if (t.has('forecast')) calls.push(call('flaring_forecast', { well_id: well }));
        if (t.has('emissions')) calls.push(call('flaring_emissions', { well_id: well }));
        if (t.has('spacing')) calls.push(call('rule37_spacing', { well_id: well }));
        if (t.has('deadlines')) calls.push(call('compliance_deadlines', { well_ids: intent.wells }));
        if (t.has('risk')) calls.push(call('compliance_risk', { well_ids: intent.wells }));
      } else {
        if (intent.operators[0] && !t.has('deadlines') && !t.has('risk') && !t.has('flaring'))
          calls.push(
            call('graph_query', {
              template_id: 'wells_by_operator',
              params: { operator_id: intent.operators[0] },
            }),
          );
        if (intent.leases[0] && !spacingArgs) {
          calls.push(call('get_entity', { label: 'Lease', entity_id: intent.leases[0] }));
          if (!intent.operators[0])
            calls.push(
              call('graph_query', {
                template_id: 'connected_by_path',
                params: {
                  label: 'Lease',
                  entity_id: intent.leases[0],
                  path: [{ rel_type: 'ON_LEASE', direction: 'in' }],
                  target_label: 'Well',
                },
              }),
            );
        }
        if (t.has('flaring') || auth) calls.push(call('flaring_assess', flaringScope));
        if (t.has('deadlines')) calls.push(call('compliance_deadlines', complianceScope));
        if (t.has('risk')) calls.push(call('compliance_risk', complianceScope));
        if (t.has('production')) calls.push(call('compliance_production', complianceScope));
        if (spacingArgs) calls.push(call('rule37_spacing', spacingArgs));
      }
      break;
  }
  return calls;
}

const criticalAlerts = (outcomes: readonly ToolOutcome[]) =>
  outcomes
    .flatMap((o) => {
      if (o.result === undefined) return [];
      if (o.call.name === 'flaring_assess') return (o.result as Assessment).alerts;
      if (o.call.name === 'compliance_deadlines' || o.call.name === 'compliance_production')
        return (o.result as DeadlineReport | ProductionReport).alerts;
      return [];
    })
    .filter((a) => a.level === 'critical');

/** The mutating step that follows the first results, if the request asked for one. */
function followUp(agent: AgentDefinition, intent: Intent, input: PlannerTurnInput): Call[] {
  const outcomes = input.toolOutcomes;
  const draft = resultOf<W1DraftResult | R32DraftResult>(outcomes, 'assemble_filing_draft');
  const well = intent.wells[0];
  const estimate = resultOf<Emissions>(outcomes, 'flaring_emissions');
  if (intent.filing === 'file' && estimate && well && !draft)
    return [
      call('attach_emissions_estimate', {
        well_id: well,
        summary: `Emissions estimate of well ${well}: ${estimate.total.volume_mcf} mcf → CO2e ${estimate.total.co2e_t} t (${estimate.composition_source === 'default' ? 'default gas composition' : 'gas analysis'}; IPCC AR5 GWPs).`,
        estimate,
      }),
    ];
  if (intent.filing === 'file' && draft && well) {
    if ('spacing' in draft) {
      if (draft.draft.violations.length === 0) return [];
      return [
        call('file_spacing_exception', {
          well_id: well,
          good_cause_narrative: draft.draft.good_cause_narrative,
          summary: `Rule 37 exception (Form W-1) for well ${well}: ${draft.draft.violations.length} spacing violation(s); nearest offset ${draft.spacing.nearest_offset_ft} ft against ${draft.spacing.minimums.between_well_ft} ft (16 TAC §3.37).`,
          draft: draft.draft,
        }),
      ];
    }
    if (!draft.validation.valid) return [];
    return [
      call('submit_filing', {
        form_type: 'R-32',
        well_id: well,
        summary: `Form R-32 flaring exception for well ${well}: ${draft.draft.application.requested_volume_mcf_per_day ?? '?'} mcf/day from ${draft.draft.application.start_date} to ${draft.draft.application.end_date} (16 TAC §3.32).`,
        draft: draft.draft.application,
      }),
    ];
  }
  const wantsAlert = intent.raiseAlert || input.requestContext?.raise_alert_approval === true;
  if (wantsAlert && agent.tools.includes('raise_compliance_alert')) {
    const critical = criticalAlerts(outcomes);
    if (critical.length === 0) return [];
    const first = critical[0];
    return [
      call('raise_compliance_alert', {
        entity_label: first.entity.label,
        entity_id: first.entity.id,
        level: 'critical',
        summary: `${critical.length} critical alert(s) found by the ${agent.name}: ${critical
          .slice(0, 3)
          .map((a) => a.message)
          .join('; ')}`.slice(0, 2000),
        alerts: critical.slice(0, 100).map((a) => ({ code: a.code, message: a.message.slice(0, 2000) })),
      }),
    ];
  }
  return [];
}

/** The calls to make now: the first ones, then a follow-up; never a tool twice, never one the
 * agent does not have. */
function nextCalls(input: PlannerTurnInput, intent: Intent): Call[] {
  const allowed = new Set(input.tools.map((t) => t.name));
  const done = new Set(input.toolOutcomes.map((o) => o.call.name));
  const pick = (calls: Call[]) => calls.filter((c) => allowed.has(c.name) && !done.has(c.name));
  if (input.toolOutcomes.length === 0) return pick(firstCalls(input.agent, intent));
  return pick(followUp(input.agent, intent, input));
}

function answer(input: PlannerTurnInput, intent: Intent): string {
  const outcomes = input.toolOutcomes;
  const sections = outcomes.map(renderOutcome);
  const rules = citations(outcomes);
  const pending =
    intent.filing === 'file' &&
    !outcomes.some((o) => ['submit_filing', 'file_spacing_exception'].includes(o.call.name));
  const draft = resultOf<W1DraftResult | R32DraftResult>(outcomes, 'assemble_filing_draft');
  let note = '';
  if (pending && draft)
    note =
      'spacing' in draft
        ? draft.draft.violations.length === 0
          ? 'No exception was filed: the location meets the spacing minimums.'
          : ''
        : !draft.validation.valid
          ? 'The application was not submitted: fix the validation errors first.'
          : '';
  if (outcomes.length === 0 && intent.aboutRules) {
    const text = ruleText(input.agent, intent.topics);
    if (text) return text;
  }
  return [
    newAlerts(input.requestContext?.new_alerts),
    headline(input.agent, intent.wells[0], outcomes),
    ...sections,
    note,
    rules.length ? `Rules: ${rules.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

const chars = (messages: readonly ChatMessage[]) =>
  messages.reduce(
    (n, m) =>
      n +
      (m.content?.length ?? 0) +
      ('tool_calls' in m && m.tool_calls ? JSON.stringify(m.tool_calls).length : 0),
    0,
  );
const estimate = (prompt: number, completion: number) => {
  const p = Math.ceil(prompt / 4);
  const c = Math.ceil(completion / 4);
  return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
};

/** Streams the answer as `token` events, a line at a time. */
function stream(content: string, onToken: (c: string) => void): void {
  const parts = content.split(/(?<=\n)/);
  for (const p of parts) onToken(p);
}

export function createDeterministicPlanner(): Planner {
  return {
    kind: 'deterministic',
    turn(input: PlannerTurnInput): Promise<PlannerTurn> {
      const read = readIntent(input.userMessage, { wellId: wellOf(input) });
      // A scheduled monitor run looks at the whole tenant, whatever wells its alert summary names.
      const intent: Intent =
        input.requestContext?.scheduled === true
          ? { ...read, wells: [], authorizations: [], operators: [], leases: [], location: undefined }
          : read;
      const prompt = chars(input.messages);
      if (input.phase === 'plan') {
        const calls = nextCalls(input, intent);
        if (calls.length > 0) {
          const base = input.toolOutcomes.length;
          const withIds = calls.map((c, i) => ({ id: `call_det_${base + i + 1}`, ...c }));
          return Promise.resolve({
            kind: 'tool_calls',
            calls: withIds,
            usage: estimate(prompt, JSON.stringify(withIds).length),
            cost_usd: 0,
            model: DETERMINISTIC_MODEL,
          });
        }
      }
      const content = answer(input, intent);
      stream(content, input.onToken);
      return Promise.resolve({
        kind: 'final',
        content,
        usage: estimate(prompt, content.length),
        cost_usd: 0,
        model: DETERMINISTIC_MODEL,
      });
    },
  };
}
