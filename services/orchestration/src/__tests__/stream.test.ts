import { openSseClient } from '@aegis/testing';
import { turn, WELL } from './fixtures';
import { startHarness, type Harness } from './harness';

describe('GET /conversations/{id}/stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ heartbeatMs: 50 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const newConversation = async (agent_type = 'rule_37') =>
    (await h.call('POST', '/conversations', h.tokens.operator, { agent_type })).body
      .conversation_id as string;
  const auth = () => ({ authorization: `Bearer ${h.tokens.operator}` });

  it('streams a run’s events in order, each with an id, and ends after done', async () => {
    const id = await newConversation();
    h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }])];
    const sse = await openSseClient(
      `${h.url}/conversations/${id}/stream?message=${encodeURIComponent(`spacing of ${WELL}?`)}`,
      auth(),
    );
    expect(sse.status).toBe(200);
    await sse.ended;
    const types = sse.events.map((e) => e.event);
    expect(types).toEqual([
      'agent_status', // thinking: load_context
      'node_end', // load_context
      'node_end', // skills (by the request's words)
      'agent_status', // thinking: plan
      'agent_status', // calling_tool
      'tool_call',
      'tool_result',
      'node_end', // skills (by the tool called)
      'agent_status', // thinking: plan, which answers
      'token',
      'node_end', // plan
      'node_end', // synthesis
      'done',
    ]);
    expect(sse.events.map((e) => Number(e.id))).toEqual(types.map((_t, i) => i + 1));
    expect(sse.events[0].data).toMatchObject({
      event_type: 'agent_status',
      status: 'thinking',
      node: 'load_context',
    });
    expect(sse.events[5].data).toMatchObject({ tool_name: 'lookup_well', arguments: { well_id: WELL } });
    const done = sse.events.at(-1)!.data as {
      final_response: string;
      conversation_id: string;
      run_id: string;
    };
    expect(done.conversation_id).toBe(id);
    expect(done.final_response).toContain('nearest_lease_line_ft');

    // A client that reconnects with Last-Event-ID gets what it missed, and no new run starts.
    const runs = (await h.call('GET', `/conversations/${id}/runs`, h.tokens.operator)).body.total as number;
    const again = await openSseClient(`${h.url}/conversations/${id}/stream?message=ignored`, {
      ...auth(),
      'Last-Event-ID': '9',
    });
    await again.ended;
    expect(again.events.map((e) => e.id)).toEqual(['10', '11', '12', '13']);
    expect((await h.call('GET', `/conversations/${id}/runs`, h.tokens.operator)).body.total).toBe(runs);
  });

  it('streams a paused run up to approval_required, and a follower sees it resume to done', async () => {
    const id = await newConversation();
    h.planner.plan = [turn.calls([{ name: 'file_exception', arguments: { well_id: WELL, narrative: 'n' } }])];
    const sse = await openSseClient(`${h.url}/conversations/${id}/stream?message=file%20it`, {
      cookie: `aegis_token=${h.tokens.operator}`,
    });
    await sse.ended;
    const required = sse.events.find((e) => e.event === 'approval_required')!;
    const approvalId = (required.data as { approval_id: string }).approval_id;
    expect(sse.events.at(-1)?.data).toMatchObject({
      event_type: 'agent_status',
      status: 'awaiting_approval',
    });

    const follower = await openSseClient(`${h.url}/conversations/${id}/stream`, {
      ...auth(),
      'Last-Event-ID': sse.events.at(-1)!.id!,
    });
    await h.decide(approvalId, { decision: 'approved' });
    await h.loop.runOnce();
    await follower.ended;
    const types = follower.events.map((e) => e.event);
    expect(types[0]).toBe('node_end');
    expect(types).toEqual(expect.arrayContaining(['tool_call', 'tool_result', 'token']));
    expect(types.at(-1)).toBe('done');
  });

  it('sends heartbeats, and a client disconnect cancels the run it started', async () => {
    h.log.blockLookup = true;
    try {
      const id = await newConversation('general');
      h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }])];
      const sse = await openSseClient(`${h.url}/conversations/${id}/stream?message=go`, auth());
      await sse.waitFor((e) => e.event === 'tool_call');
      await sse.waitForPings(2);
      const run = (sse.events[0].data as { run_id: string }).run_id;
      sse.close();
      const trace = await h.waitForRun(id, run, ['cancelled']);
      expect(trace.error).toEqual({ code: 'cancelled', message: 'The run was cancelled' });
    } finally {
      h.log.blockLookup = false;
    }
  });

  it('answers bad requests in the error shape before streaming, starting nothing', async () => {
    const id = await newConversation();
    const before = await h.count('runs');
    const missing = await h.call('GET', `/conversations/conv-nope/stream?message=hi`, h.tokens.operator);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
    const blank = await h.call('GET', `/conversations/${id}/stream?message=%20`, h.tokens.operator);
    expect(blank.status).toBe(422);
    expect(blank.body.detail[0].loc).toEqual(['query', 'message']);
    const wrong = await h.call(
      'GET',
      `/conversations/${id}/stream?message=hi&agent_type=general`,
      h.tokens.operator,
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.detail[0].loc).toEqual(['query', 'agent_type']);
    const badId = await h.call('GET', `/conversations/${id}/stream?last_event_id=x`, h.tokens.operator);
    expect(badId.status).toBe(422);
    expect((await h.call('GET', `/conversations/${id}/stream?message=hi`, '')).status).toBe(401);
    expect(await h.count('runs')).toBe(before);
  });
});
