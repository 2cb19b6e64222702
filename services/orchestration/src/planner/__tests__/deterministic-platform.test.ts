import { loadAgents, type AgentCatalog } from '../../agents';
import type { AgentDefinition } from '../../agents/types';
import { selectSkills, skillManifests } from '../../skills';
import type { Assessment, DeadlineReport, Forecasts } from '../../tools/answers';
import { startToolPlatform, type ToolPlatform } from '../../tools/__tests__/platform-harness';
import { buildToolRegistry, toolSpecs } from '../../tools/registry';
import type { ToolRegistry } from '../../tools/types';
import { createDeterministicPlanner } from '../deterministic';
import type { ChatMessage, PlannerTurn, ToolCallRequest, ToolOutcome } from '../types';

/** The offline planner with the real tools over the demo data, in a minimal run loop (plan → tool
 * calls → … → synthesis; a mutating call stops the loop as the engine's approval gate does). */

interface Offline {
  response: string;
  calls: ToolCallRequest[];
  paused?: ToolCallRequest;
  outcomes: ToolOutcome[];
  tokens: string[];
  last: PlannerTurn;
}

describe('the deterministic planner over the demo data', () => {
  let platform: ToolPlatform;
  let registry: ToolRegistry;
  let catalog: AgentCatalog;
  const planner = createDeterministicPlanner();

  beforeAll(async () => {
    platform = await startToolPlatform();
    registry = buildToolRegistry();
    catalog = loadAgents();
  });
  afterAll(() => platform.close());

  async function ask(
    agentType: string,
    message: string,
    approve = false,
    requestContext?: Record<string, unknown>,
    earlier: ChatMessage[] = [],
  ): Promise<Offline> {
    const agent = catalog.byType(agentType) as AgentDefinition;
    const ctx = await platform.context();
    const outcomes: ToolOutcome[] = [];
    const calls: ToolCallRequest[] = [];
    const tokens: string[] = [];
    let paused: ToolCallRequest | undefined;
    const turn = (phase: 'plan' | 'synthesize') =>
      planner.turn({
        agent,
        phase,
        userMessage: message,
        messages: [
          { role: 'system', content: agent.system_prompt },
          ...earlier,
          { role: 'user', content: message },
        ],
        tools: toolSpecs(registry, agent.tools),
        toolOutcomes: outcomes,
        requestContext,
        skillsOffered: skillManifests(agent),
        skillsInjected: selectSkills({ agent, userMessage: message, toolNames: [], alreadyInjected: [] }),
        onToken: (t) => tokens.push(t),
        signal: new AbortController().signal,
        remaining: agent.budgets.per_run,
      });
    for (let i = 0; i < 5; i += 1) {
      const t = await turn('plan');
      if (t.kind === 'final') return { response: t.content, calls, outcomes, tokens, last: t, paused };
      for (const c of t.calls) {
        calls.push(c);
        const tool = registry.get(c.name)!;
        const parsed = tool.input.safeParse(c.arguments);
        if (!parsed.success) {
          outcomes.push({ call: c, error: { code: 'invalid_arguments', message: parsed.error.message } });
          continue;
        }
        if (tool.mutating && !approve) {
          paused = c;
          break;
        }
        try {
          outcomes.push({ call: c, result: await tool.run(parsed.data, ctx) });
        } catch (err) {
          outcomes.push({ call: c, error: { code: 'tool_failed', message: (err as Error).message } });
        }
      }
      if (paused) break;
    }
    const t = await turn('synthesize');
    if (t.kind !== 'final') throw new Error('synthesis must be final');
    return { response: t.content, calls, outcomes, tokens, last: t, paused };
  }

  it('rule_32: a well near its limit gets its used-volume percentage exactly as the flaring monitor computes it', async () => {
    const r = await ask('rule_32', 'Is well 42-317-30000 within its flaring authorisation?');
    expect(r.calls.map((c) => c.name)).toEqual(['flaring_assess', 'flaring_forecast', 'flaring_burn_rate']);
    const truth = await platform.direct<Assessment>('flaring-monitor', 'POST', '/flaring/assess', {
      well_id: '42317300000000',
    });
    const auth = truth.authorizations[0];
    expect(r.response).toContain(`${auth.volume_pct} %`);
    expect(r.response).toContain(`${auth.cumulative_volume_mcf} mcf flared`);
    expect(r.response).toMatch(/^Yes, but close to its limits/);
    expect(r.response).toContain('16 TAC §3.32');
    const forecast = await platform.direct<Forecasts>('flaring-monitor', 'POST', '/flaring/forecast', {
      well_id: '42317300000000',
    });
    expect(r.response).toContain(`${forecast.data[0].burn_rate_mcf_per_day} mcf/day`);
    expect(r.tokens.join('')).toBe(r.response);
    expect(r.last).toMatchObject({ model: 'deterministic', cost_usd: 0 });
    expect(r.last.usage.total_tokens).toBeGreaterThan(0);
  });

  it('rule_37: a request to file a spacing exception assembles the W-1 and stops at the good-cause review', async () => {
    const r = await ask('rule_37', 'Please file a spacing exception for well 42317300440000');
    expect(r.calls.map((c) => c.name)).toEqual([
      'rule37_spacing',
      'assemble_filing_draft',
      'file_spacing_exception',
    ]);
    expect(r.paused?.name).toBe('file_spacing_exception');
    const tool = registry.get('file_spacing_exception')!;
    expect(tool.mutating!.approval(tool.input.parse(r.paused!.arguments))).toMatchObject({
      checkpoint_type: 'good_cause_review',
      payload: { filing_type: 'W-1', entity_id: '42317300440000' },
    });
    expect(r.response).toContain('1200 ft');
    expect(r.response).toContain('16 TAC §3.37');
  });

  it('rule_37: once approved, the exception is filed and the answer says so', async () => {
    const r = await ask('rule_37', 'File a Rule 37 exception for 42-317-30044-00-00', true);
    expect(r.outcomes.map((o) => o.call.name)).toContain('file_spacing_exception');
    expect(r.response).toMatch(/^The filing was approved and recorded/);
    expect(r.response).toMatch(/Filed: FilingPackage FP-W-1-42317300440000-run-1/);
  });

  it('rule_37: whether a well meets the minimums, with the nearest offset as the graph measures it', async () => {
    const r = await ask('rule_37', 'Does well 42317300440000 meet the Rule 37 spacing minimums?');
    expect(r.calls.map((c) => c.name)).toEqual(['rule37_spacing']);
    const offsets = await platform.direct<{ data: { entity_id: string; distance_ft: number }[] }>(
      'knowledge-graph',
      'POST',
      '/query',
      { template_id: 'offset_wells', params: { well_id: '42317300440000', radius_ft: 1200, limit: 1 } },
    );
    const nearest = offsets.data[0];
    expect(r.response).toMatch(
      new RegExp(
        `^Well 42317300440000 is ${nearest.distance_ft} ft from well ${nearest.entity_id}, inside the 1200 ft minimum`,
      ),
    );
    expect(r.response).toContain('16 TAC §3.37');
  });

  it('rule_32: filing an R-32 renewal assembles and validates it, then stops at the pre-filing approval', async () => {
    const r = await ask('rule_32', 'Please file an R-32 renewal for well 42-317-30000');
    expect(r.calls.map((c) => c.name)).toEqual([
      'flaring_assess',
      'flaring_forecast',
      'flaring_burn_rate',
      'assemble_filing_draft',
      'submit_filing',
    ]);
    const tool = registry.get('submit_filing')!;
    expect(tool.mutating!.approval(tool.input.parse(r.paused!.arguments))).toMatchObject({
      checkpoint_type: 'pre_filing',
      payload: { filing_type: 'R-32', entity_id: '42317300000000' },
    });
  });

  it('rule_32: submitting an emissions estimate stops at the emissions review with the monitor’s figures', async () => {
    const r = await ask('rule_32', 'Estimate the emissions of well 42317300000000 and submit them');
    expect(r.calls.map((c) => c.name)).toEqual([
      'flaring_assess',
      'flaring_forecast',
      'flaring_burn_rate',
      'flaring_emissions',
      'attach_emissions_estimate',
    ]);
    const truth = await platform.direct<{ total: { co2e_t: number } }>(
      'flaring-monitor',
      'POST',
      '/flaring/emissions',
      {
        well_id: '42317300000000',
      },
    );
    const tool = registry.get('attach_emissions_estimate')!;
    const request = tool.mutating!.approval(tool.input.parse(r.paused!.arguments));
    expect(request).toMatchObject({ checkpoint_type: 'emissions_review', payload: { filing_type: 'R-32' } });
    expect(request.payload.summary).toContain(`CO2e ${truth.total.co2e_t} t`);
    expect(r.response).toContain(`CO2e ${truth.total.co2e_t} t`);
  });

  it('general: a question about a well assembles its context and answers its figures', async () => {
    const r = await ask('general', 'What do we know about well 42317300000000 and its flaring?');
    expect(r.calls.map((c) => c.name)).toEqual(['context_assemble', 'flaring_assess']);
    expect(r.response).toContain('UNIVERSITY 7-12 1H');
    expect(r.response).toContain('Caprock Permian Operating LLC');
    expect(r.response).toContain('R32-0041235-1');
  });

  it('compliance_monitor: deadlines, production and risk with the monitor’s counts', async () => {
    const r = await ask('compliance_monitor', 'What needs attention for operator OP-123456 deadlines?');
    expect(r.calls.map((c) => c.name)).toEqual(['compliance_deadlines']);
    const truth = await platform.direct<DeadlineReport>(
      'compliance-monitor',
      'POST',
      '/compliance/deadlines',
      {
        operator_id: 'OP-123456',
      },
    );
    expect(r.response).toContain(`${truth.counts.critical} critical, ${truth.counts.warning} warning`);
    const within = await ask(
      'compliance_monitor',
      'Which compliance deadlines are overdue or due within the next 30 days?',
    );
    expect(within.calls).toEqual([
      expect.objectContaining({ name: 'compliance_deadlines', arguments: { window_days: 30 } }),
    ]);
    const all = await platform.direct<DeadlineReport>('compliance-monitor', 'POST', '/compliance/deadlines', {
      window_days: 30,
    });
    const critical = all.alerts.filter((a) => a.level === 'critical');
    expect(within.response).toContain(`${critical.length} critical deadline(s)`);
    for (const a of critical) expect(within.response).toContain(a.entity.id);
    const sweep = await ask('compliance_monitor', 'Summarise the compliance status.');
    expect(sweep.calls.map((c) => c.name)).toEqual([
      'compliance_deadlines',
      'compliance_production',
      'compliance_risk',
    ]);
  });

  it('flaring_monitor: a tenant-wide sweep reports the critical alerts and can raise one for review', async () => {
    const r = await ask('flaring_monitor', 'Assess all flaring and raise an alert for anything critical.');
    expect(r.calls[0]).toMatchObject({ name: 'flaring_assess', arguments: {} });
    const truth = await platform.direct<Assessment>('flaring-monitor', 'POST', '/flaring/assess', {});
    expect(r.response).toContain(`${truth.summary.critical} critical`);
    expect(truth.summary.critical).toBeGreaterThan(0);
    expect(r.paused).toMatchObject({ name: 'raise_compliance_alert' });
  });

  it('flaring_monitor: a scheduled run sweeps the whole tenant and leads with the new alerts', async () => {
    const newAlerts = [
      {
        level: 'warning',
        code: 'volume_80',
        rule: '16 TAC §3.32',
        entity: { label: 'FlaringAuthorization', id: 'R32-0041235-1' },
        message: 'R32-0041235-1 at 85 %',
      },
      {
        level: 'critical',
        code: 'unauthorized',
        rule: '16 TAC §3.32',
        entity: { label: 'Well', id: '42329303070000' },
        message: 'Well 42-329-30307 flared with no authorisation',
      },
    ];
    const r = await ask(
      'flaring_monitor',
      'Assess all flaring against its Rule 32 authorisations and summarise the alerts.\n\n- Well 42-329-30307 flared with no authorisation',
      false,
      { scheduled: true, new_alerts: newAlerts },
    );
    expect(r.calls).toEqual([expect.objectContaining({ name: 'flaring_assess', arguments: {} })]);
    expect(r.response.split('\n').slice(0, 3)).toEqual([
      '2 new alert(s) since the last run: 1 critical, 1 warning, 0 info.',
      '- CRITICAL: Well 42-329-30307 flared with no authorisation — Well 42329303070000 (16 TAC §3.32)',
      '- WARNING: R32-0041235-1 at 85 % — FlaringAuthorization R32-0041235-1 (16 TAC §3.32)',
    ]);
  });

  it('general: a question about the rules is answered from the rule text, citing it', async () => {
    const r = await ask('general', 'What does Rule 37 say about the minimum spacing?');
    expect(r.calls).toEqual([]);
    expect(r.response).toContain('16 TAC §3.37');
    expect(r.response).toContain('467 feet');
    expect(r.response).toContain('1,200 feet');
    const flaring = await ask('rule_32', 'How long can a Rule 32 exception last?');
    expect(flaring.calls).toEqual([]);
    expect(flaring.response).toContain('180 days');
  });

  it('says so when the platform has no such well, instead of inventing figures', async () => {
    const r = await ask('general', 'Tell me about well 42-317-99999');
    expect(r.calls.map((c) => c.name)).toEqual(['context_assemble']);
    expect(r.response).toMatch(/^I could not get the figures: Well 42317999990000 not found/);
  });

  it('follows the conversation: a follow-up question about "it" is about the well named before', async () => {
    const r = await ask('rule_32', 'And what are its emissions?', false, undefined, [
      { role: 'user', content: 'Is well 42-317-30000 within its flaring authorisation?' },
      { role: 'assistant', content: 'Yes, but close to its limits.' },
    ]);
    expect(r.calls.map((c) => c.arguments.well_id)).toContain('42317300000000');
    expect(r.calls.map((c) => c.name)).toContain('flaring_emissions');
    const unrelated = await ask('compliance_monitor', 'Summarise the compliance status.', false, undefined, [
      { role: 'user', content: 'Is well 42-317-30000 within its flaring authorisation?' },
    ]);
    expect(unrelated.calls.map((c) => c.arguments)).toEqual([{}, {}, {}]);
  });

  it('general: a lease is looked up with its wells; rule_37 without a location asks for one', async () => {
    const r = await ask('general', 'Tell me about lease LSE-08-41235');
    expect(r.calls.map((c) => c.name)).toEqual(['get_entity', 'graph_query']);
    expect(r.response).toContain('Lease LSE-08-41235: name UNIVERSITY 7-12');
    expect(r.response).toMatch(/^Lease LSE-08-41235 has 5 well\(s\)\./);
    expect(r.response).toContain('Query connected_by_path: 5 result(s).');
    const operator = await ask('general', 'Which wells does OP-654321 operate?');
    expect(operator.response).toMatch(/^Operator OP-654321 operates 10 well\(s\)\./);
    const spacing = await ask('rule_37', 'Is this spacing ok?');
    expect(spacing.calls).toEqual([]);
    expect(spacing.response).toContain('Name a well by its API number');
  });

  it('answers without tools when the request names nothing it can look up', async () => {
    const r = await ask('rule_32', 'hello');
    expect(r.response).toContain('Rule 32 flaring agent');
  });
});
