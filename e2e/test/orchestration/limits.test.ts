/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import fs from 'node:fs';
import path from 'node:path';
import { openSseClient, startScriptedLlm, tempDir, waitFor, type ScriptedLlm } from '@aegis/testing';
import { startOrchestrationPlatform, waitForRun, type OrchestrationPlatform } from './platform';

/** The model's price the suite sets (USD per 1k tokens), so costs are exact. */
const PRICE = { prompt_per_1k: 0.5, completion_per_1k: 2 };
const MODEL = 'scripted-model';

/** An AGENTS_DIR file replacing the bundled compliance monitor agent: version 2 with budgets of 20,000
 * tokens per run and 30,000 per day (the file format is the bundled definitions' shape). */
const TIGHT_MONITOR = {
  agent_id: 'compliance-monitor-agent',
  agent_type: 'compliance_monitor',
  version: 2,
  name: 'Compliance monitor agent (tight budget)',
  description: 'Deadline and production monitoring with a small daily budget.',
  model: { primary: 'gpt-4o-mini', temperature: 0, max_tokens: 500 },
  system_prompt: 'You are the AEGIS compliance monitor.',
  tools: ['compliance_deadlines', 'compliance_production', 'raise_compliance_alert'],
  skills: ['deadline-monitoring'],
  approval_checkpoints: ['compliance_alert'],
  // Dollars out of the way (this suite's model is expensive): the tokens decide.
  budgets: { per_run: { tokens: 20_000, cost_usd: 1000 }, per_day: { tokens: 30_000, cost_usd: 1000 } },
};

/**
 * The model planner through the gateway against a scripted OpenAI-compatible server this suite starts:
 * token and cost accounting, a run stopped on its budget with nothing half-done, and cancellation of a
 * run (by `POST /cancel` and by a client leaving its stream) while the model has not answered.
 */
describe('agent runs with a model planner: budgets and cancellation, through the gateway', () => {
  let llm: ScriptedLlm;
  let p: OrchestrationPlatform;

  let agentsDir: string;

  beforeAll(async () => {
    llm = await startScriptedLlm();
    agentsDir = tempDir('agents');
    fs.writeFileSync(path.join(agentsDir, 'compliance-monitor-agent.json'), JSON.stringify(TIGHT_MONITOR));
    p = await startOrchestrationPlatform({
      orchestrationEnv: {
        AGENTS_DIR: agentsDir,
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'sk-scripted',
        LLM_MODEL: MODEL,
        LLM_MAX_RETRIES: '0',
        LLM_PRICES: JSON.stringify({ [MODEL]: PRICE }),
      },
    });
  }, 180_000);
  afterAll(async () => {
    await p?.stop();
    await llm?.close();
    if (agentsDir) fs.rmSync(agentsDir, { recursive: true, force: true });
  });
  afterEach(() => llm.reset());

  const cost = (prompt: number, completion: number) =>
    (prompt / 1000) * PRICE.prompt_per_1k + (completion / 1000) * PRICE.completion_per_1k;

  /** A new conversation of `agentType` (so a test knows its id before a run answers). */
  async function conversation(agentType: string): Promise<string> {
    const c = await p.operator.call('POST', '/api/v1/conversations', { agent_type: agentType });
    expect(c.status).toBe(201);
    return c.body.conversation_id;
  }

  /** The conversation's only run, once it exists. */
  async function onlyRun(id: string): Promise<any> {
    return waitFor(`a run of ${id}`, async () => {
      const runs = await p.operator.call('GET', `/api/v1/conversations/${id}/runs`);
      return runs.body.total === 1 ? runs.body.data[0] : undefined;
    });
  }

  it('answers with the model’s text and records its tokens and their cost', async () => {
    llm.enqueue({
      content: 'Flaring is governed by 16 TAC §3.32.',
      usage: { prompt_tokens: 1200, completion_tokens: 30 },
    });
    const r = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'general',
      user_message: 'Which rule governs flaring in Texas?',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'completed',
      response: 'Flaring is governed by 16 TAC §3.32.',
      token_usage: { prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230 },
    });
    expect(r.body.cost_usd).toBeCloseTo(cost(1200, 30), 6);
    expect(llm.completions[0].body.model).toBe(MODEL);
    const trace = await p.operator.call(
      'GET',
      `/api/v1/conversations/${r.body.conversation_id}/runs/${r.body.run_id}`,
    );
    expect(trace.body).toMatchObject({ planner: 'model', token_usage: r.body.token_usage });
  });

  it('stops a run whose model turn crosses its per-run budget: 429 budget_exceeded, and what the turn asked for is not done', async () => {
    const agent = (await p.operator.call('GET', '/api/v1/agents/rule32-agent')).body;
    const id = await conversation('rule_32');
    // GIVEN a model turn that spends more than the agent's 150k tokens per run and asks for a tool.
    llm.enqueue({
      toolCalls: [{ name: agent.tools[0], arguments: {} }],
      usage: { prompt_tokens: agent.budgets.per_run.tokens, completion_tokens: 10 },
    });

    const r = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'rule_32',
      user_message: 'Validate the R-32 application of my well.',
      conversation_id: id,
    });

    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ code: 'budget_exceeded', request_id: expect.any(String) });
    const run = await onlyRun(id);
    const trace = await waitForRun(p.operator, id, run.run_id, ['budget_exceeded']);
    expect(trace.error).toMatchObject({ code: 'budget_exceeded' });
    expect(trace.token_usage.total_tokens).toBe(agent.budgets.per_run.tokens + 10);
    // Nothing half-done: no tool ran and no answer was written.
    expect(trace.tool_calls).toEqual([]);
    expect(trace.response).toBeNull();
    const messages = await p.operator.call('GET', `/api/v1/conversations/${id}/messages`);
    expect((messages.body.data as any[]).map((m) => m.role)).toEqual(['user']);
    expect(llm.completions).toHaveLength(1);
  });

  it('spends a day’s budget from an AGENTS_DIR definition: the run that crosses it stops (429), and the next one that day is refused with nothing stored', async () => {
    // GIVEN the replaced definition is the one running.
    const agent = (await p.operator.call('GET', '/api/v1/agents/compliance-monitor-agent')).body;
    expect(agent).toMatchObject({ version: 2, budgets: TIGHT_MONITOR.budgets });

    // WHEN a first run spends 15,000 tokens (within both budgets) and a second 15,000 more (the day's 30,000
    // reached, the run's 20,000 not).
    const usage = { prompt_tokens: 14_000, completion_tokens: 1_000 };
    llm.enqueue({ content: 'Two deadlines are overdue.', usage }, { content: 'One anomaly.', usage });
    const first = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'compliance_monitor',
      user_message: 'Which deadlines are overdue?',
    });
    expect(first.status).toBe(200);
    expect(first.body.token_usage.total_tokens).toBe(15_000);
    const crossing = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'compliance_monitor',
      user_message: 'Which wells show production anomalies?',
    });
    expect(crossing.status).toBe(429);
    expect(crossing.body).toMatchObject({
      code: 'budget_exceeded',
      detail: expect.stringMatching(/per-day/),
    });

    // THEN the next request of the day is refused before a conversation, a run or a model call.
    const before = await p.operator.call('GET', '/api/v1/conversations?agent_type=compliance_monitor');
    const refused = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'compliance_monitor',
      user_message: 'And the production anomalies?',
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'budget_exceeded', request_id: expect.any(String) });
    const after = await p.operator.call('GET', '/api/v1/conversations?agent_type=compliance_monitor');
    expect(after.body.total).toBe(before.body.total);
    expect(llm.completions).toHaveLength(2);
  });

  it('cancels a run in progress with POST /conversations/{id}/cancel: the run ends cancelled and /execute answers 409', async () => {
    const id = await conversation('general');
    llm.enqueue({ hang: true });
    const execute = p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'general',
      user_message: 'Summarise the wells of my operator.',
      conversation_id: id,
    });
    await waitFor('the model to be asked', async () => llm.completions.length === 1);

    const cancelled = await p.operator.call('POST', `/api/v1/conversations/${id}/cancel`);

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    const answer = await execute;
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'run_cancelled' });
    const run = await onlyRun(id);
    expect((await waitForRun(p.operator, id, run.run_id, ['cancelled'])).error).toMatchObject({
      code: 'cancelled',
    });
    // The conversation is free again.
    llm.enqueue({ content: 'Done.' });
    const next = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: 'general',
      user_message: 'Try again.',
      conversation_id: id,
    });
    expect(next.status).toBe(200);
  });

  it('keeps an idle stream open with heartbeats, and cancels the run it started when the client disconnects', async () => {
    const id = await conversation('general');
    llm.enqueue({ hang: true });
    const stream = await openSseClient(
      `${p.base}/api/v1/conversations/${id}/stream?message=${encodeURIComponent('Which wells are shut in?')}`,
      { authorization: `Bearer ${p.operator.token}` },
    );
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((e) => e.event === 'agent_status');
      await waitFor('the model to be asked', async () => llm.completions.length === 1);
      // SSE_HEARTBEAT_MS=1000 in this suite: `: ping` while the model is silent.
      await stream.waitForPings(1, 5000);
    } finally {
      stream.close();
    }
    const run = await onlyRun(id);
    const trace = await waitForRun(p.operator, id, run.run_id, ['cancelled']);
    expect(trace.response).toBeNull();
  });
});
