import pino from 'pino';
import { createMemoryMonitorStateStore } from '../state';
import { monitorAgentsSweep, SCHEDULE_USER, type MonitorScheduleDeps } from '../sweep';
import {
  alert,
  fakeApprovals,
  fakeClients,
  fakeEngine,
  fakeIdentity,
  GENERAL,
  monitorAgent,
  tenantOf,
} from './fixtures';

const logger = pino({ level: 'silent' });
const T0 = Date.parse('2026-06-20T06:00:00Z');
const HOUR = 3_600_000;

/** GIVEN tenants t1 and t2, the flaring monitor agent (alert approvals on), the general assistant
 * (no schedule), a fake clock starting at T0 and fakes of the monitors, the engine and approvals. */
function setup(agents = [monitorAgent('flaring_monitor'), GENERAL], tenants = ['t1', 't2']) {
  let clock = T0;
  const monitors = fakeClients();
  const engine = fakeEngine();
  const approvals = fakeApprovals();
  const state = createMemoryMonitorStateStore();
  const deps: MonitorScheduleDeps = {
    engine: engine.engine,
    identity: fakeIdentity(tenants),
    catalog: { list: () => agents },
    clients: monitors.clients,
    approvals: approvals.approvals,
    state,
    logger,
    now: () => clock,
  };
  const sweep = monitorAgentsSweep(deps);
  return {
    monitors,
    engine,
    approvals,
    state,
    run: () => sweep(new AbortController().signal),
    tick: (ms = HOUR) => (clock += ms),
  };
}

describe('the scheduled monitor agents sweep', () => {
  it('runs the agent prompt with the critical and warning alerts of the first look, and raises a compliance_alert approval', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a', 'critical'), alert('b', 'warning'), alert('c', 'info')]);

    const reports = await s.run();

    const t1 = reports.find((r) => r.tenant === 't1')!;
    expect(t1).toMatchObject({ agent_id: 'flaring-monitor-agent', alerts: 2, new_alerts: 2, skipped: false });
    expect(s.engine.requests).toHaveLength(1);
    const request = s.engine.requests[0];
    expect(request).toMatchObject({
      tenantId: 't1',
      userId: SCHEDULE_USER,
      agentType: 'flaring_monitor',
      agentId: 'flaring-monitor-agent',
      conversationId: undefined,
    });
    expect(request.userMessage).toBe(
      [
        'Check the flaring_monitor alerts.',
        '',
        '2 new alerts at the first run (1 critical, 1 warning):',
        '- CRITICAL 16 TAC §3.32 — Well 42317301230000: alert a',
        '- WARNING 16 TAC §3.32 — Well 42317301230000: alert b',
      ].join('\n'),
    );
    expect((request.context.new_alerts as { dedupe_key: string }[]).map((a) => a.dedupe_key)).toEqual([
      'a',
      'b',
    ]);
    // THEN one approval for the one critical alert, on the run's conversation, acting for the service.
    expect(s.approvals.created).toHaveLength(1);
    expect(s.approvals.created[0]).toMatchObject({
      tenant: 't1',
      approval: {
        conversation_id: t1.conversation_id,
        agent_type: 'flaring_monitor',
        checkpoint_type: 'compliance_alert',
        reviewer_strategy: 'any_reviewer',
        on_behalf_of: SCHEDULE_USER,
        payload: { entity_id: '42317301230000' },
        proposed_action: { tool_name: 'raise_compliance_alert', arguments: { alert_keys: ['a'] } },
        context: { run_id: t1.run_id },
      },
    });
    expect(t1.approval_id).toBe('apr-1');
    // t2 has no alert: no run.
    expect(reports.find((r) => r.tenant === 't2')).toMatchObject({ alerts: 0, skipped: true });
  });

  it('reports only the alerts the previous run did not see, in the same conversation', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a'), alert('b', 'warning')]);
    const [first] = await s.run();
    s.tick();

    // WHEN nothing changed THEN no run and no approval.
    expect(await s.run()).toEqual([
      expect.objectContaining({ tenant: 't1', skipped: true, new_alerts: 0 }),
      expect.anything(),
    ]);
    expect(s.engine.requests).toHaveLength(1);
    expect(s.approvals.created).toHaveLength(1);

    // WHEN one warning is added THEN only it is summarised, since the previous look.
    s.tick();
    s.monitors.flaring.set('t1', [alert('a'), alert('b', 'warning'), alert('d', 'warning')]);
    const [third] = await s.run();
    expect(third).toMatchObject({ new_alerts: 1, alerts: 3, conversation_id: first.conversation_id });
    const request = s.engine.requests[1];
    expect(request.conversationId).toBe(first.conversation_id);
    expect(request.userMessage).toContain(
      `1 new alert since the last run at ${new Date(T0 + HOUR).toISOString()} (1 warning):\n- WARNING 16 TAC §3.32 — Well 42317301230000: alert d`,
    );
    expect(request.userMessage).not.toContain('alert a');
    // A warning raises no approval.
    expect(s.approvals.created).toHaveLength(1);
  });

  it('reports an alert that cleared and came back again', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a')]);
    await s.run();
    s.monitors.flaring.set('t1', []);
    await s.run();
    s.monitors.flaring.set('t1', [alert('a')]);
    const [again] = await s.run();
    expect(again).toMatchObject({ new_alerts: 1, skipped: false });
    expect(s.approvals.created).toHaveLength(2);
  });

  it('raises no approval when the definition does not ask for one', async () => {
    const s = setup([monitorAgent('flaring_monitor', { prompt: 'Look.', raise_alert_approval: false })]);
    s.monitors.flaring.set('t1', [alert('a')]);
    const [report] = await s.run();
    expect(report).toMatchObject({ new_alerts: 1, skipped: false });
    expect(report.approval_id).toBeUndefined();
    expect(s.engine.requests).toHaveLength(1);
    expect(s.approvals.created).toEqual([]);
  });

  it('keeps the approval of a run that stopped at one of its own and raises no second one', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a')]);
    const run = s.engine.engine.run.bind(s.engine.engine);
    s.engine.engine.run = async (req, opts) => ({
      ...(await run(req, opts)),
      status: 'awaiting_approval',
      approval_id: 'apr-own',
    });
    const [report] = await s.run();
    expect(report).toMatchObject({ approval_id: 'apr-own', status: 'awaiting_approval' });
    expect(s.approvals.created).toEqual([]);
  });

  it('reports the same alerts again after a run that did not complete (budget exceeded), and raises nothing for it', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a')]);
    s.engine.setStatus('budget_exceeded');
    const [failed] = await s.run();
    expect(failed).toMatchObject({ status: 'budget_exceeded', new_alerts: 1 });
    expect(failed.approval_id).toBeUndefined();
    expect(s.approvals.created).toEqual([]);
    expect(await s.state.get('t1', 'flaring-monitor-agent')).toBeUndefined();

    s.engine.setStatus('completed');
    const [retried] = await s.run();
    expect(retried).toMatchObject({ status: 'completed', new_alerts: 1, approval_id: 'apr-1' });
    expect(await s.state.get('t1', 'flaring-monitor-agent')).toMatchObject({
      seen: ['a'],
      last_run_id: retried.run_id,
    });
  });

  it.each([
    ['was deleted', 'deleteConversation'],
    ['still has a run paused at an approval', 'busyConversation'],
  ] as const)('starts a new conversation when the earlier one %s', async (_, how) => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a')]);
    const [first] = await s.run();
    s.engine[how](first.conversation_id!);
    s.monitors.flaring.set('t1', [alert('a'), alert('b')]);
    const [second] = await s.run();
    expect(second.conversation_id).toBeDefined();
    expect(second.conversation_id).not.toBe(first.conversation_id);
    expect(s.engine.requests.slice(1).map((r) => r.conversationId)).toEqual([
      first.conversation_id,
      undefined,
    ]);
  });

  it('looks at each tenant with a caller acting on that tenant, and a failing tenant leaves the others running', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a')]);
    s.monitors.flaring.set('t2', [alert('a')]);
    s.monitors.failOn('t1');
    const reports = await s.run();
    expect(reports.map((r) => r.tenant)).toEqual(['t2']);
    expect(s.monitors.calls.map((c) => [tenantOf(c.caller), c.path])).toEqual([
      ['t1', '/flaring/assess'],
      ['t2', '/flaring/assess'],
    ]);
    expect(s.engine.requests.map((r) => r.tenantId)).toEqual(['t2']);
    expect(s.approvals.created.map((a) => a.tenant)).toEqual(['t2']);
    // t2 seeing `a` says nothing about t1: t1 still reports it once its monitor answers.
    s.monitors.failOn(undefined);
    const next = await s.run();
    expect(next.find((r) => r.tenant === 't1')).toMatchObject({ new_alerts: 1 });
    expect(next.find((r) => r.tenant === 't2')).toMatchObject({ new_alerts: 0 });
  });

  it('the compliance monitor agent reads deadlines within 30 days and 3 months of production anomalies', async () => {
    const s = setup([monitorAgent('compliance_monitor')], ['t1']);
    s.monitors.deadlines.set('t1', [alert('dl', 'warning', 'DL-1')]);
    s.monitors.production.set('t1', [alert('pr', 'critical')]);
    const [report] = await s.run();
    expect(s.monitors.calls.map((c) => [c.service, c.path, c.body])).toEqual([
      ['compliance-monitor', '/compliance/deadlines', { window_days: 30 }],
      ['compliance-monitor', '/compliance/production', { months: 3 }],
    ]);
    expect(report).toMatchObject({ agent_id: 'compliance-monitor-agent', new_alerts: 2 });
    // Most severe first.
    expect(s.engine.requests[0].userMessage).toMatch(/CRITICAL .*alert pr\n- WARNING .*DL-1: alert dl$/);
    expect(s.approvals.created[0].approval.payload.entity_id).toBe('42317301230000');
  });

  it('stops between two runs once its signal aborts (lease lost or stopping)', async () => {
    const s = setup([monitorAgent('flaring_monitor'), monitorAgent('compliance_monitor')]);
    const controller = new AbortController();
    s.monitors.flaring.set('t1', [alert('a')]);
    const run = s.engine.engine.run.bind(s.engine.engine);
    s.engine.engine.run = async (req, opts) => {
      controller.abort();
      return run(req, opts);
    };
    const sweep = monitorAgentsSweep({
      engine: s.engine.engine,
      identity: fakeIdentity(['t1', 't2']),
      catalog: { list: () => [monitorAgent('flaring_monitor'), monitorAgent('compliance_monitor')] },
      clients: s.monitors.clients,
      approvals: s.approvals.approvals,
      state: s.state,
      logger,
    });
    const reports = await sweep(controller.signal);
    expect(reports).toHaveLength(1);
    expect(s.engine.requests).toHaveLength(1);
  });
});
