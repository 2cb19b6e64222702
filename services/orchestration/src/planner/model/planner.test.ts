import { startScriptedLlm, type ScriptedLlm } from '@aegis/testing';
import { Registry } from 'prom-client';
import type { AgentDefinition } from '../../agents/types';
import {
  BudgetExceededError,
  ModelRefusedError,
  ModelUnavailableError,
  PlannerAbortedError,
  plannerSpendOf,
} from '../errors';
import type { PlannerTurnInput, ToolSpec } from '../types';
import { createModelMetrics } from './metrics';
import { createModelPlanner, type ModelPlannerSettings } from './planner';

const agent: AgentDefinition = {
  agent_id: 'rule32-agent',
  agent_type: 'rule_32',
  version: 1,
  name: 'Rule 32',
  description: 'Flaring',
  model: { primary: 'gpt-4o', fallback: 'gpt-4o-mini', temperature: 0.1, max_tokens: 2000 },
  system_prompt: 'You check flaring.',
  tools: ['flaring_assess', 'burn_rate'],
  skills: [],
  approval_checkpoints: [],
  budgets: { per_run: { tokens: 150_000, cost_usd: 10 }, per_day: { tokens: 2_000_000, cost_usd: 100 } },
};

const tools: ToolSpec[] = [
  {
    name: 'flaring_assess',
    description: 'Assess a well against its flaring authorisation',
    parameters: { type: 'object', properties: { well_api: { type: 'string' } }, required: ['well_api'] },
    mutating: false,
  },
  {
    name: 'burn_rate',
    description: 'Burn rate of an authorisation',
    parameters: { type: 'object', properties: { authorization_id: { type: 'string' } } },
    mutating: false,
  },
];

let llm: ScriptedLlm;
let delays: number[];
let warnings: { context: Record<string, unknown>; message: string }[];

beforeEach(async () => {
  llm = await startScriptedLlm();
  delays = [];
  warnings = [];
});
afterEach(() => llm.close());

function settings(overrides: Partial<ModelPlannerSettings> = {}): ModelPlannerSettings {
  return {
    baseUrl: llm.url,
    apiKey: 'sk-test',
    model: undefined,
    fallbackModel: undefined,
    timeoutMs: 2_000,
    maxRetries: 2,
    retryBaseMs: 100,
    prices: {},
    ...overrides,
  };
}

function planner(overrides: Partial<ModelPlannerSettings> = {}) {
  return createModelPlanner(settings(overrides), {
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    logger: { warn: (context, message) => warnings.push({ context, message }) },
  });
}

function input(overrides: Partial<PlannerTurnInput> = {}): PlannerTurnInput & { tokens: string[] } {
  const tokens: string[] = [];
  return {
    agent,
    phase: 'plan',
    userMessage: 'Is well 42-123-45678 within its flaring authorisation?',
    messages: [
      { role: 'system', content: agent.system_prompt },
      { role: 'user', content: 'Is well 42-123-45678 within its flaring authorisation?' },
    ],
    tools,
    toolOutcomes: [],
    skillsOffered: [],
    skillsInjected: [],
    onToken: (t) => tokens.push(t),
    signal: new AbortController().signal,
    remaining: { tokens: 150_000, cost_usd: 10 },
    tokens,
    ...overrides,
  };
}

describe('createModelPlanner', () => {
  it('offers the tools, returns the parsed tool calls, and sends the tool results back on the next turn', async () => {
    // GIVEN a model that calls a tool, then answers from its result
    llm.enqueue(
      {
        toolCalls: [{ id: 'call_a', name: 'flaring_assess', arguments: { well_api: '42-123-45678' } }],
        usage: { prompt_tokens: 300, completion_tokens: 20 },
      },
      {
        content: 'Used 62.5% of the authorised volume.',
        usage: { prompt_tokens: 400, completion_tokens: 12 },
      },
    );
    const p = planner();

    // WHEN the planner plans
    const first = await p.turn(input());

    // THEN the call is parsed, usage and cost come from the API and the table
    expect(first).toEqual({
      kind: 'tool_calls',
      calls: [{ id: 'call_a', name: 'flaring_assess', arguments: { well_api: '42-123-45678' } }],
      usage: { prompt_tokens: 300, completion_tokens: 20, total_tokens: 320 },
      cost_usd: 0.00095, // 300 × 0.0025/1k + 20 × 0.01/1k
      model: 'gpt-4o',
      usage_estimated: false,
    });
    const sent = llm.completions[0];
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.1,
      max_tokens: 2000,
    });
    expect(sent.body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'flaring_assess',
          description: tools[0].description,
          parameters: tools[0].parameters,
        },
      },
      {
        type: 'function',
        function: { name: 'burn_rate', description: tools[1].description, parameters: tools[1].parameters },
      },
    ]);

    // WHEN the engine sends the tool result back and asks for the synthesis
    const calls = first.kind === 'tool_calls' ? first.calls : [];
    const second = await p.turn(
      input({
        phase: 'synthesize',
        messages: [
          ...input().messages,
          { role: 'assistant', content: null, tool_calls: calls },
          { role: 'tool', tool_call_id: 'call_a', name: 'flaring_assess', content: '{"used_pct":62.5}' },
        ],
      }),
    );

    // THEN the wire format carries the call with string arguments and the tool message by id, no tools
    expect(second).toMatchObject({ kind: 'final', content: 'Used 62.5% of the authorised volume.' });
    const body = llm.completions[1].body;
    expect(body.tools).toBeUndefined();
    expect(body.messages?.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'flaring_assess', arguments: '{"well_api":"42-123-45678"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"used_pct":62.5}' },
    ]);
  });

  it('hands every content delta to onToken in order, also when the stream is cut mid-line', async () => {
    const text = 'Well 42-123-45678 flared 1,250 Mcf — 62.5% of its authorisation.';
    llm.enqueue({ content: text, chunkSize: 3, writeBytes: 7 });
    const i = input();

    const turn = await planner().turn(i);

    expect(turn).toMatchObject({ kind: 'final', content: text });
    expect(i.tokens.length).toBe(Math.ceil(text.length / 3));
    expect(i.tokens.join('')).toBe(text);
  });

  it('assembles tool-call deltas by index from argument fragments', async () => {
    llm.enqueue({
      content: 'Checking both.',
      toolCalls: [
        { id: 'call_1', name: 'flaring_assess', arguments: { well_api: '42-123-45678' } },
        { id: 'call_2', name: 'burn_rate', arguments: { authorization_id: 'FA-0001' } },
      ],
      chunkSize: 2,
    });

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({
      kind: 'tool_calls',
      content: 'Checking both.',
      calls: [
        { id: 'call_1', name: 'flaring_assess', arguments: { well_api: '42-123-45678' } },
        { id: 'call_2', name: 'burn_rate', arguments: { authorization_id: 'FA-0001' } },
      ],
    });
  });

  it('accepts a JSON answer from a server that ignores stream, and estimates usage when none is reported', async () => {
    llm.enqueue({ content: 'Within limits.', stream: false, usage: null });
    const i = input();

    const turn = await planner().turn(i);

    expect(turn).toMatchObject({ kind: 'final', content: 'Within limits.', usage_estimated: true });
    expect(turn.usage.completion_tokens).toBe(Math.ceil('Within limits.'.length / 4));
    expect(turn.usage.prompt_tokens).toBeGreaterThan(0);
    expect(turn.usage.total_tokens).toBe(turn.usage.prompt_tokens + turn.usage.completion_tokens);
    expect(i.tokens).toEqual(['Within limits.']);
  });

  it('retries a 429 after the Retry-After it names, then succeeds', async () => {
    llm.enqueue({ status: 429, headers: { 'retry-after': '2' } }, { content: 'OK' });

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({ kind: 'final', content: 'OK', model: 'gpt-4o' });
    expect(delays).toEqual([2000]);
    expect(llm.completions.map((r) => r.answered)).toEqual([429, 200]);
  });

  it('goes on to the fallback model at once when Retry-After asks for more than the longest wait', async () => {
    llm.enqueue(
      { model: 'gpt-4o', status: 429, headers: { 'retry-after': '3600' } },
      { model: 'gpt-4o-mini', content: 'OK' },
    );

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({ kind: 'final', model: 'gpt-4o-mini' });
    expect(delays).toEqual([]);
    expect(llm.completions).toHaveLength(2);
  });

  it('counts attempts by outcome, tokens and cost in the model metrics', async () => {
    const registry = new Registry();
    llm.enqueue({ status: 429 }, { content: 'OK', usage: { prompt_tokens: 1000, completion_tokens: 100 } });
    const p = createModelPlanner(settings(), {
      sleep: () => Promise.resolve(),
      metrics: createModelMetrics(registry),
    });

    await p.turn(input());

    const text = await registry.metrics();
    expect(text).toContain('aegis_llm_requests_total{model="gpt-4o",outcome="rate_limited"} 1');
    expect(text).toContain('aegis_llm_requests_total{model="gpt-4o",outcome="ok"} 1');
    expect(text).toContain('aegis_llm_tokens_total{model="gpt-4o",kind="prompt"} 1000');
    expect(text).toContain('aegis_llm_tokens_total{model="gpt-4o",kind="completion"} 100');
    expect(text).toContain('aegis_llm_cost_usd_total{model="gpt-4o"} 0.0035');
  });

  it('backs off exponentially on 5xx and network failures without a Retry-After', async () => {
    llm.enqueue({ status: 503 }, { drop: true }, { content: 'OK' });

    await planner().turn(input());

    // base 100 ms, doubling, equal jitter at random() = 0.5: 75, 150
    expect(delays).toEqual([75, 150]);
  });

  it('switches to the fallback model when the primary keeps failing', async () => {
    llm.enqueue(
      { model: 'gpt-4o', status: 500 },
      { model: 'gpt-4o', status: 502 },
      { model: 'gpt-4o', status: 503 },
      {
        model: 'gpt-4o-mini',
        content: 'Answer from the fallback.',
        usage: { prompt_tokens: 1000, completion_tokens: 100 },
      },
    );

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({ kind: 'final', content: 'Answer from the fallback.', model: 'gpt-4o-mini' });
    expect(turn.cost_usd).toBeCloseTo(0.00021, 9); // 1000 × 0.00015/1k + 100 × 0.0006/1k
    expect(llm.completions.map((r) => r.body.model)).toEqual(['gpt-4o', 'gpt-4o', 'gpt-4o', 'gpt-4o-mini']);
    expect(warnings.map((w) => w.message)).toContain('Switched to the fallback model');
  });

  it('throws model_unavailable without internals when the fallback fails too', async () => {
    llm.setDefaultReply({ status: 500, body: { error: { message: 'secret upstream detail at 10.0.0.7' } } });

    const err = await planner({ maxRetries: 1 })
      .turn(input())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ModelUnavailableError);
    expect(err).toMatchObject({ status: 502, code: 'model_unavailable' });
    expect(String((err as Error).message)).not.toMatch(/10\.0\.0\.7|secret|127\.0\.0\.1/);
    expect(llm.completions).toHaveLength(4); // 2 attempts × 2 models
  });

  it('does not retry a 4xx other than 429 and answers model_refused', async () => {
    llm.enqueue({ status: 401, body: { error: { message: 'bad key' } } }, { content: 'never sent' });

    const err = await planner()
      .turn(input())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ModelRefusedError);
    expect(err).toMatchObject({
      code: 'model_refused',
      detail: 'The language model refused the request (HTTP 401)',
    });
    expect(llm.completions).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('keeps max_tokens within what the budget leaves after the prompt', async () => {
    llm.enqueue({ content: 'Short.' });

    await planner().turn(input({ remaining: { tokens: 1_000, cost_usd: 10 } }));

    const body = llm.completions[0].body;
    const prompt = Math.ceil((JSON.stringify(body.messages) + JSON.stringify(body.tools)).length / 4);
    expect(body.max_tokens).toBe(1_000 - prompt);
    expect(body.max_tokens).toBeLessThan(agent.model.max_tokens);
  });

  it('keeps max_tokens within the dollars left at the model price', async () => {
    llm.enqueue({ content: 'Short.' });

    await planner().turn(input({ remaining: { tokens: 100_000, cost_usd: 0.01 } }));

    // gpt-4o: completion 0.01 $/1k → at most ~1,000 tokens for $0.01 minus the prompt's cost
    expect(llm.completions[0].body.max_tokens).toBeLessThan(1_000);
    expect(llm.completions[0].body.max_tokens).toBeGreaterThan(900);
  });

  it('throws budget_exceeded without calling the model when nothing is left', async () => {
    for (const remaining of [
      { tokens: 10, cost_usd: 10 },
      { tokens: 0, cost_usd: 10 },
      { tokens: 100_000, cost_usd: 0 },
    ]) {
      const err = await planner()
        .turn(input({ remaining }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BudgetExceededError);
      expect(err).toMatchObject({ status: 429, code: 'budget_exceeded' });
    }
    expect(llm.completions).toHaveLength(0);
  });

  it('repairs malformed arguments with one round trip telling the model the error', async () => {
    llm.enqueue(
      {
        toolCalls: [{ id: 'call_bad', name: 'flaring_assess', arguments: '{"well_api": "42-123' }],
        usage: { prompt_tokens: 300, completion_tokens: 10 },
      },
      {
        toolCalls: [{ id: 'call_good', name: 'flaring_assess', arguments: { well_api: '42-123-45678' } }],
        usage: { prompt_tokens: 350, completion_tokens: 15 },
      },
    );

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({
      kind: 'tool_calls',
      calls: [{ id: 'call_good', name: 'flaring_assess', arguments: { well_api: '42-123-45678' } }],
      usage: { prompt_tokens: 650, completion_tokens: 25, total_tokens: 675 },
    });
    const repair = llm.completions[1].body.messages ?? [];
    expect(repair.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_bad',
            type: 'function',
            function: { name: 'flaring_assess', arguments: '{"well_api": "42-123' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_bad', content: expect.stringMatching(/not valid JSON/) },
    ]);
  });

  it('tells the model its arguments were cut off when the reply stopped at the token limit', async () => {
    llm.enqueue(
      { toolCalls: [{ name: 'flaring_assess', arguments: '{"well_api": "42-1' }], finishReason: 'length' },
      { toolCalls: [{ name: 'flaring_assess', arguments: { well_api: '42-123-45678' } }] },
    );

    await planner().turn(input());

    expect(llm.completions[1].body.messages?.at(-1)?.content).toMatch(/cut off at the token limit/);
  });

  it('repairs a call of a tool it was not offered', async () => {
    llm.enqueue(
      { toolCalls: [{ id: 'call_x', name: 'drop_tables', arguments: {} }] },
      { toolCalls: [{ id: 'call_y', name: 'burn_rate', arguments: { authorization_id: 'FA-1' } }] },
    );

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({ kind: 'tool_calls', calls: [{ name: 'burn_rate' }] });
    const told = llm.completions[1].body.messages?.at(-1);
    expect(told).toMatchObject({ role: 'tool', tool_call_id: 'call_x' });
    expect(String(told?.content)).toContain('flaring_assess, burn_rate');
  });

  it('refuses cleanly with a final turn when the call is still malformed after the repair', async () => {
    llm.enqueue(
      {
        toolCalls: [{ name: 'flaring_assess', arguments: '[1,2]' }],
        usage: { prompt_tokens: 100, completion_tokens: 5 },
      },
      {
        toolCalls: [{ name: 'flaring_assess', arguments: 'not json' }],
        usage: { prompt_tokens: 120, completion_tokens: 5 },
      },
    );

    const turn = await planner().turn(input());

    expect(turn).toMatchObject({
      kind: 'final',
      refusal: { code: 'model_malformed_tool_call' },
      usage: { prompt_tokens: 220, completion_tokens: 10, total_tokens: 230 },
    });
    expect(turn.kind === 'final' && turn.content).toMatch(/could not complete this request/);
    expect(llm.completions).toHaveLength(2);
  });

  it('in synthesis ignores calls beside an answer and repairs calls without one', async () => {
    llm.enqueue(
      { content: 'The answer.', toolCalls: [{ name: 'burn_rate', arguments: {} }] },
      { toolCalls: [{ name: 'burn_rate', arguments: {} }] },
      { content: 'The answer after all.' },
    );
    const p = planner();

    expect(await p.turn(input({ phase: 'synthesize' }))).toMatchObject({
      kind: 'final',
      content: 'The answer.',
    });
    expect(await p.turn(input({ phase: 'synthesize' }))).toMatchObject({
      kind: 'final',
      content: 'The answer after all.',
    });
  });

  it('stops at once when the signal aborts, also while waiting to retry', async () => {
    const controller = new AbortController();
    llm.enqueue({ hang: true });
    const pending = planner().turn(input({ signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(PlannerAbortedError);

    const during = new AbortController();
    llm.enqueue({ status: 503 });
    const waits = createModelPlanner(
      { ...settings(), maxRetries: 3, retryBaseMs: 60_000 },
      { sleep: () => (during.abort(), Promise.resolve()) },
    );
    await expect(waits.turn(input({ signal: during.signal }))).rejects.toMatchObject({ code: 'cancelled' });
    expect(llm.completions).toHaveLength(2);
  });

  it('stops at once when the signal aborts while the answer is streaming', async () => {
    const controller = new AbortController();
    llm.enqueue({ content: 'The well flared 1,250 Mcf', chunkSize: 5, hangAfterEvents: 3 });
    const i = input({ signal: controller.signal, onToken: (t) => (tokens.push(t), controller.abort()) });
    const tokens: string[] = [];

    await expect(planner().turn(i)).rejects.toBeInstanceOf(PlannerAbortedError);

    expect(tokens).toEqual(['The w']);
    expect(llm.completions).toHaveLength(1);
  });

  it('retries a timed-out attempt', async () => {
    llm.enqueue({ hang: true }, { content: 'Late but fine.' });

    const turn = await planner({ timeoutMs: 400 }).turn(input());

    expect(turn).toMatchObject({ kind: 'final', content: 'Late but fine.' });
  });

  it('does not retry a stream that broke after tokens reached the user', async () => {
    llm.enqueue(
      { content: 'Partial answer that breaks', chunkSize: 4, dropAfterEvents: 3 },
      { content: 'x' },
    );
    const i = input();

    const err = await planner()
      .turn(i)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ModelUnavailableError);
    expect(i.tokens.length).toBeGreaterThan(0);
    expect(llm.completions).toHaveLength(1);
  });

  it('attaches the usage of a first round trip to an error of the repair', async () => {
    llm.enqueue(
      { toolCalls: [{ name: 'nope', arguments: {} }], usage: { prompt_tokens: 100, completion_tokens: 5 } },
      { status: 400 },
    );

    const err = await planner()
      .turn(input())
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ModelRefusedError);
    expect(plannerSpendOf(err)).toMatchObject({ usage: { total_tokens: 105 }, model: 'gpt-4o' });
  });

  it('uses the configured model over the agent’s and prices unknown models at 0 with one warning', async () => {
    llm.setDefaultReply({ content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 1 } });
    const p = planner({ model: 'local-llama' });

    const a = await p.turn(input());
    await p.turn(input());

    expect(a).toMatchObject({ model: 'local-llama', cost_usd: 0 });
    expect(llm.completions.map((r) => r.body.model)).toEqual(['local-llama', 'local-llama']);
    expect(warnings.filter((w) => w.message.startsWith('Priced an unknown model'))).toHaveLength(1);
  });
});
