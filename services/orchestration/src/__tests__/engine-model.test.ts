import { openSseClient, startScriptedLlm, type ScriptedLlm } from '@aegis/testing';
import { createModelPlanner } from '../planner/model';
import { WELL } from './fixtures';
import { startHarness, type Harness } from './harness';

/** The engine with the model planner against a scripted OpenAI-compatible server: the messages a
 * model receives, streamed tokens, budgets from the API's usage, and an approval round trip. */
describe('the engine with the model planner', () => {
  let llm: ScriptedLlm;
  let h: Harness;
  beforeAll(async () => {
    llm = await startScriptedLlm();
    h = await startHarness({
      parts: {
        planner: createModelPlanner(
          {
            baseUrl: llm.url,
            apiKey: undefined,
            model: undefined,
            fallbackModel: undefined,
            timeoutMs: 5000,
            maxRetries: 0,
            retryBaseMs: 0,
            prices: { 'test-model': { prompt_per_1k: 0.01, completion_per_1k: 0.03 } },
          },
          { sleep: () => Promise.resolve() },
        ),
      },
    });
  });
  afterEach(() => llm.reset());
  afterAll(async () => {
    await h?.close();
    await llm?.close();
  });

  it('round-trips a tool call: the model sees its call followed by the result, and answers', async () => {
    llm.enqueue(
      {
        toolCalls: [{ name: 'lookup_well', arguments: { well_id: WELL } }],
        usage: { prompt_tokens: 1000, completion_tokens: 20 },
      },
      {
        content: 'The nearest lease line is 330 ft, under the 467 ft minimum.',
        usage: { prompt_tokens: 1200, completion_tokens: 30 },
      },
    );
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: `How far is ${WELL} from its lease line?`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      response: 'The nearest lease line is 330 ft, under the 467 ft minimum.',
      tools_called: ['lookup_well'],
      skills_injected: ['spacing-review'],
      token_usage: { prompt_tokens: 2200, completion_tokens: 50, total_tokens: 2250 },
    });
    // 2200 prompt tokens at $0.01/1k and 50 completion tokens at $0.03/1k.
    expect(res.body.cost_usd).toBeCloseTo(0.0235, 6);
    const second = llm.completions[1].body.messages!;
    expect(second.map((m) => m.role)).toEqual([
      'system',
      'system',
      'system',
      'system',
      'user',
      'assistant',
      'tool',
    ]);
    expect(second[5]).toMatchObject({ tool_calls: [expect.objectContaining({ type: 'function' })] });
    expect(second[6]).toMatchObject({
      role: 'tool',
      tool_call_id: (second[5] as { tool_calls: { id: string }[] }).tool_calls[0].id,
    });
    expect(llm.completions[0].body.tools?.map((t) => t.function.name)).toEqual([
      'lookup_well',
      'file_exception',
    ]);
  });

  it('streams the model’s answer as token events', async () => {
    llm.enqueue({ content: 'Spacing looks fine for this request.', chunkSize: 5 });
    const conv = (await h.call('POST', '/conversations', h.tokens.operator, { agent_type: 'general' })).body;
    const sse = await openSseClient(`${h.url}/conversations/${conv.conversation_id}/stream?message=hello`, {
      authorization: `Bearer ${h.tokens.operator}`,
    });
    await sse.ended;
    const tokens = sse.events
      .filter((e) => e.event === 'token')
      .map((e) => (e.data as { content: string }).content);
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe('Spacing looks fine for this request.');
    expect(sse.events.at(-1)?.event).toBe('done');
  });

  it('stops on the budget the API’s usage spends, before running the calls of that turn', async () => {
    const lookups = h.log.lookups.length;
    llm.enqueue({
      toolCalls: [{ name: 'lookup_well', arguments: { well_id: WELL } }],
      usage: { prompt_tokens: 49_000, completion_tokens: 2_000 },
    });
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: `Look up ${WELL}`,
    });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'budget_exceeded' });
    expect(res.body.detail).toMatch(/per-run budget of 50000 tokens is spent \(51000 used\)/);
    expect(h.log.lookups.length).toBe(lookups);
  });

  it('pauses a mutating call the model asks for, and after approval the model writes the answer', async () => {
    llm.enqueue({
      toolCalls: [{ name: 'file_exception', arguments: { well_id: WELL, narrative: 'Irregular tract' } }],
    });
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'rule_37',
      user_message: 'File the W-1.',
    });
    expect(res.body).toMatchObject({ approval_required: true, status: 'awaiting_approval' });
    llm.enqueue({ content: 'Filed as fp-1 (draft).' });
    await h.decide(res.body.approval_id, { decision: 'approved' });
    await h.loop.runOnce();
    const trace = await h.waitForRun(res.body.conversation_id, res.body.run_id, ['completed']);
    expect(trace.response).toBe('Filed as fp-1 (draft).');
    const last = llm.completions.at(-1)!.body;
    expect(last.tools ?? []).toEqual([]);
    expect(last.messages!.slice(-2).map((m) => m.role)).toEqual(['assistant', 'tool']);
  });
});
