/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import { openSseClient, waitFor } from '@aegis/testing';
import {
  digitsOnly,
  mentionsFigure,
  useOrchestrationPlatform,
  waitForRun,
  wellInsideSpacing,
} from './platform';

/**
 * Each of the five agents answers one realistic question over the demo data of tenant `default`
 * offline (the deterministic planner: no LLM_BASE_URL), with the figures the monitors and the graph
 * compute for the same well — asked of those services through the gateway in the same test, never
 * hard-coded — and a run streams its events in the order of spec §7.
 */
describe('the agents through the gateway, offline, over the demo data', () => {
  // The monitors' agents run every 2 s here (their schedule is tested at the end).
  const p = useOrchestrationPlatform({ orchestrationEnv: { MONITOR_AGENTS_INTERVAL_MS: '2000' } });
  let agents: any[];

  beforeAll(async () => {
    agents = (await p.operator.call('GET', '/api/v1/agents')).body.data;
  });

  /** Asks `agent_type` through POST /execute as the operator; the answer after checking its shape. */
  async function ask(agentType: string, message: string): Promise<any> {
    const r = await p.operator.call('POST', '/api/v1/execute', {
      agent_type: agentType,
      user_message: message,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      agent_type: agentType,
      status: 'completed',
      approval_required: false,
      conversation_id: expect.stringMatching(/\S/),
      response: expect.stringMatching(/\S/),
      token_usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
      cost_usd: 0,
    });
    // THEN it called at least one tool, each one its definition offers.
    const offered = agents.find((a) => a.agent_type === agentType).tools as string[];
    expect(r.body.tools_called.length).toBeGreaterThan(0);
    for (const t of r.body.tools_called) expect(offered).toContain(t);
    return r.body;
  }

  describe('GET /api/v1/agents', () => {
    it('lists the five agents of the domain table with their budgets per run and per day', async () => {
      const byId = Object.fromEntries(agents.map((a) => [a.agent_id, a]));
      const budgets = (run: [number, number], day: [number, number]) => ({
        per_run: { tokens: run[0], cost_usd: run[1] },
        per_day: { tokens: day[0], cost_usd: day[1] },
      });
      expect(Object.keys(byId).sort()).toEqual([
        'compliance-monitor-agent',
        'flaring-monitor-agent',
        'general-assistant',
        'rule32-agent',
        'rule37-agent',
      ]);
      expect(byId['general-assistant']).toMatchObject({
        agent_type: 'general',
        approval_checkpoints: [],
        budgets: budgets([50_000, 3], [500_000, 30]),
      });
      expect(byId['rule37-agent']).toMatchObject({
        agent_type: 'rule_37',
        budgets: budgets([150_000, 10], [2_000_000, 100]),
      });
      expect([...byId['rule37-agent'].approval_checkpoints].sort()).toEqual([
        'good_cause_review',
        'pre_filing',
      ]);
      expect(byId['rule32-agent']).toMatchObject({
        agent_type: 'rule_32',
        budgets: budgets([150_000, 10], [2_000_000, 100]),
      });
      expect([...byId['rule32-agent'].approval_checkpoints].sort()).toEqual([
        'emissions_review',
        'pre_filing',
      ]);
      for (const id of ['compliance-monitor-agent', 'flaring-monitor-agent'])
        expect(byId[id]).toMatchObject({
          budgets: budgets([50_000, 3], [500_000, 30]),
          schedule: { prompt: expect.stringMatching(/\S/), raise_alert_approval: expect.any(Boolean) },
        });
      const one = await p.viewer.call('GET', '/api/v1/agents/rule32-agent');
      expect(one.status).toBe(200);
      expect(one.body).toEqual(byId['rule32-agent']);
    });
  });

  it('rule_32: a demo well near its authorised volume gets its used percentage as the flaring monitor computes it', async () => {
    // GIVEN the authorisation between 80 % and 100 % of its volume, as the flaring monitor assesses it.
    const assessed = await p.operator.call('POST', '/api/v1/flaring/assess', {});
    expect(assessed.status).toBe(200);
    const near = (assessed.body.authorizations as any[])
      .filter((a) => a.volume_pct >= 80 && a.volume_pct < 100 && a.well_ids.length > 0)
      .sort((a, b) => b.volume_pct - a.volume_pct)[0];
    expect(near).toBeDefined();
    const well = near.well_ids[0] as string;
    const forWell = await p.operator.call('POST', '/api/v1/flaring/assess', { well_id: well });
    const auth = (forWell.body.authorizations as any[]).find(
      (a) => a.authorization_id === near.authorization_id,
    );

    // WHEN the rule32 agent is asked about the well.
    const answer = await ask('rule_32', `Is well ${well} within its flaring authorisation?`);

    // THEN it names the authorisation and its used volume percentage, citing Rule 32.
    expect(answer.response).toContain(near.authorization_id);
    expect(mentionsFigure(answer.response, auth.volume_pct)).toBe(true);
    expect(answer.response).toMatch(/3\.32|Rule 32/);
  });

  it('rule_37: a demo well inside the spacing minimum gets the distance to its nearest offset well and the minimum that applies', async () => {
    // GIVEN a demo well whose nearest offset on its lease is closer than 1,200 ft (the graph's offset query).
    const found = await wellInsideSpacing(p.operator);

    // WHEN the rule37 agent is asked whether it meets Rule 37.
    const answer = await ask('rule_37', `Does well ${found.well} meet the Rule 37 spacing minimums?`);

    // THEN it gives the distance to that offset well, the statewide or field minimum, and cites §3.37.
    expect(digitsOnly(answer.response)).toContain(found.nearest.entity_id);
    expect(mentionsFigure(answer.response, found.nearest.distance_ft)).toBe(true);
    expect(answer.response).toMatch(/1,?200|1,?320/);
    expect(answer.response).toMatch(/3\.37/);
  });

  it('general: a question about a demo well is answered from its graph context (operator, lease, field)', async () => {
    const wells = (await p.operator.call('GET', '/api/v1/entities/Well?page_size=1')).body.data as any[];
    const well = wells[0].entity_id as string;
    const context = await p.operator.call('GET', `/api/v1/context/assemble/${well}`);
    expect(context.status).toBe(200);

    const answer = await ask('general', `What do you know about well ${well}?`);

    // THEN the answer names its operator and lease as the graph has them.
    const { operator, lease } = context.body;
    expect(operator).not.toBeNull();
    expect(answer.response).toContain(operator.properties.name);
    if (lease) expect(answer.response).toContain(lease.properties.name);
  });

  it('compliance_monitor: the deadlines overdue or due within 7 days are counted and stated as the compliance monitor gives them', async () => {
    const deadlines = await p.operator.call('POST', '/api/v1/compliance/deadlines', { window_days: 30 });
    expect(deadlines.status).toBe(200);
    const critical = (deadlines.body.alerts as any[]).filter((a) => a.level === 'critical');
    expect(critical.length).toBeGreaterThan(0);

    const answer = await ask(
      'compliance_monitor',
      'Which compliance deadlines are overdue or due within the next 30 days?',
    );

    // THEN it counts the critical ones as the monitor does and states each as the monitor words it.
    expect(answer.response).toMatch(new RegExp(`(^|\\D)${critical.length} critical`));
    for (const a of critical) expect(answer.response).toContain(a.message);
  });

  it('flaring_monitor: every authorisation at or over 80 % of its volume is listed with its percentage', async () => {
    const assessed = await p.operator.call('POST', '/api/v1/flaring/assess', {});
    const over = (assessed.body.authorizations as any[]).filter((a) => a.volume_pct >= 80);
    expect(over.length).toBeGreaterThan(0);

    const answer = await ask(
      'flaring_monitor',
      'Which flaring authorisations are at or above 80 % of their authorised volume?',
    );

    for (const a of over) {
      expect(answer.response).toContain(a.authorization_id);
      expect(mentionsFigure(answer.response, a.volume_pct)).toBe(true);
    }
  });

  describe('GET /api/v1/conversations/{id}/stream', () => {
    it('streams a run as agent_status … tool_call … tool_result … token … done, every event with an id, with the session cookie', async () => {
      const created = await p.operator.call('POST', '/api/v1/conversations', { agent_type: 'rule_32' });
      expect(created.status).toBe(201);
      const id = created.body.conversation_id as string;
      const assessed = await p.operator.call('POST', '/api/v1/flaring/assess', {});
      const well = (assessed.body.authorizations as any[]).find((a) => a.well_ids.length > 0).well_ids[0];
      const message = encodeURIComponent(`Is well ${well} within its flaring authorisation?`);

      // WHEN the browser opens the stream with its session cookie (no Authorization header).
      const stream = await openSseClient(`${p.base}/api/v1/conversations/${id}/stream?message=${message}`, {
        cookie: `aegis_token=${p.operator.token}`,
      });
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
        await stream.waitFor((e) => e.event === 'done', 30_000);
        await stream.ended;
      } finally {
        stream.close();
      }

      const events = stream.events;
      const types = events.map((e) => e.event);
      // THEN every event carries an increasing id, and its type both as `event:` and in the JSON.
      const ids = events.map((e) => Number(e.id));
      expect(ids.every((n) => Number.isInteger(n))).toBe(true);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of events) expect((e.data as any).event_type).toBe(e.event);
      // … in the order of a run.
      expect(types[0]).toBe('agent_status');
      expect(types.at(-1)).toBe('done');
      expect(types).not.toContain('error');
      const firstCall = types.indexOf('tool_call');
      const firstResult = types.indexOf('tool_result');
      const firstToken = types.indexOf('token');
      expect(firstCall).toBeGreaterThan(0);
      expect(firstResult).toBeGreaterThan(firstCall);
      expect(firstToken).toBeGreaterThan(firstResult);
      expect(types.lastIndexOf('tool_call')).toBeLessThan(firstToken);
      const call = events[firstCall].data as any;
      expect(call).toMatchObject({ tool_name: expect.any(String), arguments: expect.any(Object) });
      expect((events[firstResult].data as any).tool_name).toBe(call.tool_name);
      // The tokens add up to the final answer, which the conversation stores.
      const streamed = events
        .filter((e) => e.event === 'token')
        .map((e) => (e.data as any).content)
        .join('');
      const done = events.at(-1)!.data as any;
      expect(streamed).toBe(done.final_response);
      const conversation = await p.operator.call('GET', `/api/v1/conversations/${id}`);
      expect(conversation.body.messages.map((m: any) => [m.role, m.content])).toEqual([
        ['user', decodeURIComponent(message)],
        ['assistant', done.final_response],
      ]);

      // WHEN the client reconnects with Last-Event-ID THEN it gets what followed that event, and no new run starts.
      const replay = await openSseClient(`${p.base}/api/v1/conversations/${id}/stream`, {
        authorization: `Bearer ${p.operator.token}`,
        'last-event-id': String(ids[2]),
      });
      try {
        await replay.ended;
      } finally {
        replay.close();
      }
      expect(replay.events.map((e) => Number(e.id))).toEqual(ids.slice(3));
      const runs = await p.operator.call('GET', `/api/v1/conversations/${id}/runs`);
      expect(runs.body.total).toBe(1);
    });
  });

  describe('the scheduled monitor agents', () => {
    it('summarise the tenant’s new flaring alerts once, as the service, and stop at a compliance_alert approval whose approval records the follow-up', async () => {
      const agent = agents.find((a) => a.agent_id === 'flaring-monitor-agent');
      expect(agent.schedule.raise_alert_approval).toBe(true);
      const assessed = await p.operator.call('POST', '/api/v1/flaring/assess', {});
      const reported = (assessed.body.alerts as any[]).filter((a) => a.level !== 'info');
      const critical = reported.filter((a) => a.level === 'critical');
      expect(critical.length).toBeGreaterThan(0);

      // WHEN the schedule has run (every 2 s in this suite) THEN tenant default has the agent's conversation.
      const conversation = await waitFor(
        'the scheduled flaring monitor conversation',
        async () => {
          const list = await p.operator.call(
            'GET',
            '/api/v1/conversations?agent_type=flaring_monitor&page_size=100',
          );
          return (list.body.data as any[]).find((c) => c.created_by === 'service:orchestration');
        },
        30_000,
        500,
      );
      const first = await waitFor('its first run to stop', async () => {
        const runs = await p.operator.call(
          'GET',
          `/api/v1/conversations/${conversation.conversation_id}/runs`,
        );
        const run = runs.body.data[0];
        return run && run.status !== 'running' ? run : undefined;
      });
      // Its request counts the new alerts as the monitor reports them, naming no well (a tenant-wide look).
      expect(first.user_message).toContain(agent.schedule.prompt);
      expect(first.user_message).toContain(
        `${reported.length} new alert${reported.length === 1 ? '' : 's'} at the first run (${critical.length} critical`,
      );
      // The run assessed the whole tenant and stopped at its raise_compliance_alert call.
      expect(first.status).toBe('awaiting_approval');
      const trace = await p.operator.call(
        'GET',
        `/api/v1/conversations/${conversation.conversation_id}/runs/${first.run_id}`,
      );
      expect(trace.body.tool_calls[0]).toMatchObject({ tool_name: 'flaring_assess', arguments: {} });
      const raise = (trace.body.tool_calls as any[]).find((c) => c.tool_name === 'raise_compliance_alert');
      expect(raise).toMatchObject({ approval_id: first.approval_id, arguments: { level: 'critical' } });
      const approval = await p.rita.call('GET', `/api/v1/approvals/${first.approval_id}`);
      expect(approval.body).toMatchObject({
        status: 'pending',
        checkpoint_type: 'compliance_alert',
        agent_type: 'flaring_monitor',
        run_id: first.run_id,
        on_behalf_of: 'service:orchestration',
      });

      // WHEN a reviewer approves THEN the run records the follow-up deadline in the graph and completes.
      const decided = await p.rita.call('POST', `/api/v1/approvals/${first.approval_id}/decide`, {
        decision: 'approved',
      });
      expect(decided.status).toBe(200);
      const done = await waitForRun(p.operator, conversation.conversation_id, first.run_id, ['completed']);
      const recorded = (done.tool_calls as any[]).find(
        (c) => c.tool_name === 'raise_compliance_alert',
      ).result;
      expect(recorded).toMatchObject({ label: 'ComplianceDeadline', status: 'open' });
      const deadline = await p.operator.call(
        'GET',
        `/api/v1/entities/ComplianceDeadline/${recorded.entity_id}`,
      );
      expect(deadline.status).toBe(200);

      // WHEN more schedule periods pass with nothing new THEN no further run in that conversation.
      await new Promise((r) => setTimeout(r, 4500));
      const runs = await p.operator.call('GET', `/api/v1/conversations/${conversation.conversation_id}/runs`);
      expect(runs.body.total).toBe(1);
      // Tenant acme has no demo data: no alerts, no scheduled conversation there.
      const acme = await p.acme.call('GET', '/api/v1/conversations?page_size=100');
      expect((acme.body.data as any[]).filter((c) => c.created_by === 'service:orchestration')).toEqual([]);
    }, 90_000);
  });
});
