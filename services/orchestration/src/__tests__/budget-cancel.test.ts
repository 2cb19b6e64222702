import { agentDef, defaultAgents, turn, WELL } from './fixtures';
import { startHarness, type Harness } from './harness';

describe('budgets and cancellation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      agents: [
        ...defaultAgents(),
        agentDef({
          agent_id: 'flaring-monitor-agent',
          agent_type: 'flaring_monitor',
          skills: [],
          budgets: { per_run: { tokens: 1000, cost_usd: 1 }, per_day: { tokens: 1500, cost_usd: 30 } },
        }),
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stops a run whose turn crosses the per-run budget before doing what it asked (429 budget_exceeded)', async () => {
    const filed = h.log.filed.length;
    const lookups = h.log.lookups.length;
    h.planner.plan = [
      turn.calls(
        [
          { name: 'lookup_well', arguments: { well_id: WELL } },
          { name: 'file_exception', arguments: { well_id: WELL, narrative: 'x' } },
        ],
        600,
      ),
    ];
    const res = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'flaring_monitor',
      user_message: 'check everything',
    });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'budget_exceeded', request_id: expect.any(String) });
    expect(res.body.detail).toMatch(/per-run budget of 1000 tokens is spent \(1200 used\)/);
    // Nothing half-done: no tool ran, no approval, no answer.
    expect(h.log.lookups.length).toBe(lookups);
    expect(h.log.filed.length).toBe(filed);
    const list = await h.call('GET', '/conversations?agent_type=flaring_monitor', h.tokens.operator);
    const conv = list.body.data[0].conversation_id as string;
    const runs = await h.call('GET', `/conversations/${conv}/runs`, h.tokens.operator);
    expect(runs.body.data[0]).toMatchObject({
      status: 'budget_exceeded',
      error: { code: 'budget_exceeded' },
      token_usage: { total_tokens: 1200 },
      tools_called: [],
      approval_id: null,
    });
    const messages = await h.call('GET', `/conversations/${conv}/messages`, h.tokens.operator);
    expect(messages.body.data.map((m: { role: string }) => m.role)).toEqual(['user']);
    expect(await h.registry.metrics()).toContain(
      'aegis_agent_runs_total{agent_type="flaring_monitor",status="budget_exceeded"} 1',
    );
  });

  it('refuses a new run once the per-day budget is spent, storing nothing', async () => {
    // 1200 of 1500 spent today: the next run may start, and its first turn (400) crosses the day's.
    h.planner.plan = [turn.final('ok', 200)];
    const crossing = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'flaring_monitor',
      user_message: 'summary',
    });
    expect(crossing.status).toBe(429);
    expect(crossing.body.detail).toMatch(/per-day budget of 1500 tokens is spent/);
    const before = [await h.count('conversations'), await h.count('runs')];
    const refused = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'flaring_monitor',
      user_message: 'summary',
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'budget_exceeded' });
    expect(refused.body.detail).toMatch(/^flaring-monitor-agent cannot run: the per-day budget/);
    expect([await h.count('conversations'), await h.count('runs')]).toEqual(before);
    // Other agents have their own day.
    const other = await h.call('POST', '/execute', h.tokens.operator, {
      agent_type: 'general',
      user_message: 'hi',
    });
    expect(other.status).toBe(200);
  });

  it('cancels a running run (POST /conversations/{id}/cancel): the request answers 409 run_cancelled', async () => {
    h.log.blockLookup = true;
    try {
      h.planner.plan = [turn.calls([{ name: 'lookup_well', arguments: { well_id: WELL } }])];
      const created = await h.call('POST', '/conversations', h.tokens.operator, { agent_type: 'general' });
      const id = created.body.conversation_id as string;
      const pending = h.call('POST', '/execute', h.tokens.operator, {
        agent_type: 'general',
        user_message: `look up ${WELL}`,
        conversation_id: id,
      });
      const until = Date.now() + 5000;
      while (h.log.lookups.at(-1) !== WELL || h.engine.activeRuns() === 0) {
        if (Date.now() > until) throw new Error('the run did not reach its tool');
        await new Promise((r) => setTimeout(r, 10));
      }
      const cancel = await h.call('POST', `/conversations/${id}/cancel`, h.tokens.operator);
      expect(cancel.status).toBe(200);
      expect(cancel.body.status).toBe('cancelled');
      const res = await pending;
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'run_cancelled', request_id: expect.any(String) });
      const runs = await h.call('GET', `/conversations/${id}/runs`, h.tokens.operator);
      expect(runs.body.data[0]).toMatchObject({ status: 'cancelled', response: null });
      const trace = await h.call(
        'GET',
        `/conversations/${id}/runs/${runs.body.data[0].run_id}`,
        h.tokens.operator,
      );
      expect(trace.body.tool_calls).toEqual([
        expect.objectContaining({ tool_name: 'lookup_well', status: 'cancelled' }),
      ]);
    } finally {
      h.log.blockLookup = false;
    }
  });
});
