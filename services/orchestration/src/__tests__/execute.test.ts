import { startHarness, type Harness } from './harness';
import { turn, WELL } from './fixtures';

describe('POST /execute', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs the agent to completion and answers the spec shape', async () => {
    h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }], 100, 0.02)];
    const res = await h.call('POST', '/execute', h.tokens.viewer, {
      agent_type: 'rule_37',
      user_message: `Is well 42-317-30001 far enough from its lease line?`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      agent_type: 'rule_37',
      tools_called: ['lookup_well'],
      skills_injected: ['spacing-review'],
      approval_required: false,
    });
    expect(res.body.approval_id).toBeUndefined();
    expect(res.body.response).toContain('"nearest_lease_line_ft":330');
    // Two turns: the plan (100+100) and the synthesis (10+10).
    expect(res.body.token_usage).toEqual({ prompt_tokens: 110, completion_tokens: 110, total_tokens: 220 });
    expect(res.body.cost_usd).toBeCloseTo(0.03, 6);
    expect(res.body.conversation_id).toMatch(/^conv-/);
    expect(h.log.lookups).toEqual([WELL]);

    const conv = await h.call('GET', `/conversations/${res.body.conversation_id}`, h.tokens.viewer);
    expect(conv.status).toBe(200);
    expect(conv.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(conv.body.messages[1].content).toBe(res.body.response);

    const trace = await h.call(
      'GET',
      `/conversations/${res.body.conversation_id}/runs/${res.body.run_id}`,
      h.tokens.viewer,
    );
    expect(trace.status).toBe(200);
    expect(trace.body.steps.map((s: { node: string }) => s.node)).toEqual([
      'load_context',
      'skills',
      'plan',
      'skills',
      'plan',
      'synthesis',
    ]);
    expect(trace.body.steps[0].output.well_id).toBe(WELL);
    expect(trace.body.tool_calls).toEqual([
      expect.objectContaining({
        tool_name: 'lookup_well',
        arguments: { well_id: WELL },
        status: 'completed',
        result: { well_id: WELL, nearest_lease_line_ft: 330, minimum_ft: 467 },
      }),
    ]);
    expect(trace.body.skills_injected).toEqual(['spacing-review']);
    // The skill the tool call made relevant joined the system messages of the next (answering) turn,
    // before the conversation and its tool calls.
    const roles = h.planner.inputs.at(-1)!.messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'system', 'system', 'system', 'user', 'assistant', 'tool']);
    expect(h.planner.inputs.at(-1)!.messages[3].content).toMatch(/^Skill Spacing review/);
    expect(trace.body.token_usage.total_tokens).toBe(220);
    // Working memory and the episode were written.
    expect(h.memory.working.get(`default/${res.body.conversation_id}`)).toMatchObject({ well_id: WELL });
    expect(h.memory.episodes.at(-1)?.conversation_id).toBe(res.body.conversation_id);
  });

  it('never injects a skill twice into one conversation', async () => {
    h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }])];
    const first = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'spacing of 42-317-30001?',
    });
    expect(first.body.skills_injected).toEqual(['spacing-review']);
    h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }])];
    const second = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'and the spacing again?',
      conversation_id: first.body.conversation_id,
    });
    expect(second.status).toBe(200);
    expect(second.body.skills_injected).toEqual([]);
    // The second run saw the first exchange as history.
    const input = h.planner.inputs.at(-1)!;
    expect(input.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'spacing of 42-317-30001?',
      'and the spacing again?',
    ]);
  });

  it('refuses a call the tool schema refuses and tells the planner why', async () => {
    h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: 'nope' } }])];
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'look up well nope',
    });
    expect(res.status).toBe(200);
    expect(res.body.tools_called).toEqual([]);
    const trace = await h.call(
      'GET',
      `/conversations/${res.body.conversation_id}/runs/${res.body.run_id}`,
      h.tokens.operator,
    );
    expect(trace.body.tool_calls[0]).toMatchObject({
      status: 'refused',
      error: { code: 'invalid_arguments' },
    });
    const synthesis = h.planner.inputs.at(-1)!;
    expect(synthesis.toolOutcomes[0].error?.code).toBe('invalid_arguments');
  });

  it.each([
    [{ user_message: 'hi' }, ['body', 'agent_type']],
    [{ agent_type: 'rule_99', user_message: 'hi' }, ['body', 'agent_type']],
    [{ agent_type: 'compliance_monitor', user_message: 'hi' }, ['body', 'agent_type']],
    [{ agent_type: 'general', user_message: '   ' }, ['body', 'user_message']],
    [{ agent_type: 'general', user_message: 'hi', extra: 1 }, ['body']],
  ])('answers 422 for %j and stores nothing', async (body, loc) => {
    const before = [await h.count('conversations'), await h.count('runs'), await h.count('messages')];
    const res = await h.call('POST', '/execute', h.tokens.operator, body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.request_id).toEqual(expect.any(String));
    expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc })]));
    expect([await h.count('conversations'), await h.count('runs'), await h.count('messages')]).toEqual(
      before,
    );
  });

  it('answers 404 for an unknown conversation and 422 for one of another agent type, storing nothing', async () => {
    const before = await h.count('runs');
    const missing = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'hi',
      conversation_id: 'conv-missing',
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
    const created = await h.call('POST', '/conversations', h.tokens.operator, { agent_type: 'rule_37' });
    const other = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'hi',
      conversation_id: created.body.conversation_id,
    });
    expect(other.status).toBe(422);
    expect(other.body.detail[0].loc).toEqual(['body', 'agent_type']);
    expect(await h.count('runs')).toBe(before);
  });

  it('keeps tenants apart: another tenant neither sees nor continues the conversation', async () => {
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'hi',
    });
    const id = res.body.conversation_id as string;
    const seen = await h.call('GET', `/conversations/${id}`, h.tokens.acme);
    expect(seen.status).toBe(404);
    const runs = await h.call('GET', `/conversations/${id}/runs/${res.body.run_id}`, h.tokens.acme);
    expect(runs.status).toBe(404);
    const cont = await h.call('POST', '/execute', h.tokens.acme, {
      agent_type: 'general',
      user_message: 'hi',
      conversation_id: id,
    });
    expect(cont.status).toBe(404);
    const list = await h.call('GET', '/conversations', h.tokens.acme);
    expect(list.body).toMatchObject({ data: [], total: 0 });
    const cross = await h.call('GET', `/conversations?tenant_id=default`, h.tokens.acme);
    expect(cross.status).toBe(403);
  });
});
