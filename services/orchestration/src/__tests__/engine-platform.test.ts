import { loadAgents } from '../agents';
import { createDeterministicPlanner } from '../planner/deterministic';
import { selectSkills, skillManifests } from '../skills';
import type { Assessment } from '../tools/answers';
import { startToolPlatform, type ToolPlatform } from '../tools/__tests__/platform-harness';
import { buildToolRegistry, toolSpecs } from '../tools/registry';
import { startHarness, type Harness } from './harness';

/** The engine with the real agents, tools, skills and offline planner, over the demo data of the
 * knowledge graph and the monitors in process: what `npm start` runs without a model. */
describe('the engine with the real parts over the demo data', () => {
  let platform: ToolPlatform;
  let h: Harness;
  beforeAll(async () => {
    platform = await startToolPlatform();
    const tools = buildToolRegistry();
    h = await startHarness({
      parts: {
        catalog: loadAgents(),
        tools,
        toolSpecs: (names) => toolSpecs(tools, names),
        skills: { manifests: (a) => skillManifests(a), select: (input) => selectSkills(input) },
        planner: createDeterministicPlanner(),
        clients: platform.clients,
        // The platform's services trust their own issuer: its service token acts on the run's tenant.
        caller: async (tenantId) => (await platform.context(tenantId)).caller,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await platform?.close();
  });

  it('rule_32 answers with the flaring monitor’s own figures and lists its tools', async () => {
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_32',
      user_message: 'Is well 42-317-30000 within its flaring authorisation?',
    });
    expect(res.status).toBe(200);
    const truth = await platform.direct<Assessment>('flaring-monitor', 'POST', '/flaring/assess', {
      well_id: '42317300000000',
    });
    expect(res.body.response).toContain(`${truth.authorizations[0].volume_pct} %`);
    expect(res.body.tools_called).toEqual(['flaring_assess', 'flaring_forecast', 'flaring_burn_rate']);
    expect(res.body).toMatchObject({ approval_required: false, cost_usd: 0 });
    expect(res.body.token_usage.total_tokens).toBeGreaterThan(0);
    expect(res.body.skills_injected.length).toBeGreaterThan(0);
  });

  it('rule_37 stops a spacing exception at approval, and files it once approved', async () => {
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'Please file a spacing exception for well 42317300440000',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'awaiting_approval',
      approval_required: true,
      tools_called: ['rule37_spacing', 'assemble_filing_draft'],
    });
    const approval = await h.approval(res.body.approval_id);
    expect(approval).toMatchObject({
      checkpoint_type: 'good_cause_review',
      payload: { filing_type: 'W-1', entity_id: '42317300440000' },
      proposed_action: { tool_name: 'file_spacing_exception' },
    });
    await h.decide(res.body.approval_id, { decision: 'approved' });
    await h.loop.runOnce();
    const trace = await h.waitForRun(res.body.conversation_id, res.body.run_id, ['completed'], 15_000);
    expect(trace.tools_called).toEqual(['rule37_spacing', 'assemble_filing_draft', 'file_spacing_exception']);
    expect(trace.response).toMatch(/^The filing was approved and recorded/);
    const conv = await h.call('GET', `/conversations/${res.body.conversation_id}`, h.tokens.operator);
    expect(conv.body.messages.at(-1).content).toMatch(/^The filing was approved and recorded/);
  });
});
