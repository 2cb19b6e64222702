import pino from 'pino';
import { summariseAlerts } from '../alerts';
import { createMemoryMonitorStateStore } from '../state';
import { monitorAgentsSweep, SCHEDULE_USER, type MonitorScheduleDeps } from '../sweep';
import { alert, fakeClients, fakeEngine, fakeIdentity, GENERAL, monitorAgent, tenantOf } from './fixtures';

const T0 = Date.parse('2026-06-20T06:00:00Z');
const HOUR = 3_600_000;

/** GIVEN tenants t1 and t2, the flaring monitor agent (alert approvals on), the general assistant
 * (no schedule), a fake clock starting at T0 and fakes of the monitors and the engine. */
function setup(agents = [monitorAgent('flaring_monitor'), GENERAL], tenants = ['t1', 't2']) {
  let clock = T0;
  const monitors = fakeClients();
  const engine = fakeEngine();
  const state = createMemoryMonitorStateStore();
  const warnings: string[] = [];
  const deps: MonitorScheduleDeps = {
    engine: engine.engine,
    identity: fakeIdentity(tenants),
    catalog: { list: () => agents },
    clients: monitors.clients,
    state,
    logger: pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) }),
    now: () => clock,
  };
  const sweep = monitorAgentsSweep(deps);
  return {
    monitors,
    engine,
    state,
    warnings,
    deps,
    run: () => sweep(new AbortController().signal),
    tick: (ms = HOUR) => (clock += ms),
  };
}

describe('summariseAlerts', () => {
  it('counts the alerts by level and by kind, naming no entity (the run stays about the whole tenant)', () => {
    const text = summariseAlerts(
      [
        alert('a', 'critical', '42317301230000'),
        alert('b', 'critical', '42317301230000'),
        { ...alert('c', 'critical', '42317301240000'), code: 'code_a' },
        { ...alert('d', 'warning', 'R32-1'), entity: { label: 'FlaringAuthorization', id: 'R32-1' } },
      ].map((a) => ({ ...a, code: a.level === 'critical' ? 'code_a' : a.code })),
      '2026-06-20T06:00:00.000Z',
    );
    expect(text).toBe(
      [
        '4 new alerts since the last run at 2026-06-20T06:00:00.000Z (3 critical, 1 warning):',
        '- CRITICAL code_a (16 TAC §3.32): 3 alerts on 2 Wells',
        '- WARNING code_d (16 TAC §3.32): 1 alert on 1 FlaringAuthorization',
      ].join('\n'),
    );
    expect(text).not.toMatch(/4231730123/);
    expect(summariseAlerts([alert('a', 'warning')], undefined)).toMatch(
      /^1 new alert at the first run \(1 warning\):/,
    );
  });
});

describe('the scheduled monitor agents sweep', () => {
  it('runs the agent prompt with a summary of the first look’s critical and warning alerts, asking it to raise the critical ones for review', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a', 'critical'), alert('b', 'warning'), alert('c', 'info')]);

    const reports = await s.run();

    const t1 = reports.find((r) => r.tenant === 't1')!;
    expect(t1).toMatchObject({
      agent_id: 'flaring-monitor-agent',
      alerts: 2,
      new_alerts: 2,
      skipped: false,
      raise_alert: true,
      status: 'awaiting_approval',
      approval_id: 'apr-1',
    });
    expect(s.engine.requests).toHaveLength(1);
    const request = s.engine.requests[0];
    expect(request).toMatchObject({
      tenantId: 't1',
      userId: SCHEDULE_USER,
      agentType: 'flaring_monitor',
      agentId: 'flaring-monitor-agent',
      conversationId: undefined,
      context: { scheduled: true, raise_alert_approval: true },
    });
    const fresh = [alert('a', 'critical'), alert('b', 'warning')];
    expect(request.userMessage).toBe(
      `Check the flaring_monitor alerts.\n\n${summariseAlerts(fresh, undefined)}`,
    );
    expect(request.context.new_alerts).toEqual(fresh);
    // t2 has no alert: no run.
    expect(reports.find((r) => r.tenant === 't2')).toMatchObject({
      alerts: 0,
      skipped: true,
      raise_alert: false,
    });
    expect(await s.state.get('t1', 'flaring-monitor-agent')).toEqual({
      seen: ['a', 'b'],
      conversation_id: t1.conversation_id,
      last_run_id: t1.run_id,
      last_run_at: new Date(T0).toISOString(),
    });
  });

  it('reports only the alerts the previous run did not see, in the same conversation, and raises none for warnings', async () => {
    const s = setup([monitorAgent('flaring_monitor', { prompt: 'Look.', raise_alert_approval: true })]);
    s.monitors.flaring.set('t1', [alert('a', 'warning'), alert('b', 'warning')]);
    const [first] = await s.run();
    expect(first).toMatchObject({ raise_alert: false, status: 'completed' });
    s.tick();

    // WHEN nothing changed THEN no run.
    expect(await s.run()).toEqual([
      expect.objectContaining({ tenant: 't1', skipped: true, new_alerts: 0 }),
      expect.objectContaining({ tenant: 't2', skipped: true }),
    ]);
    expect(s.engine.requests).toHaveLength(1);

    // WHEN one warning is added THEN only it is summarised, since the previous look.
    s.tick();
    s.monitors.flaring.set('t1', [alert('a', 'warning'), alert('b', 'warning'), alert('d', 'warning')]);
    const [third] = await s.run();
    expect(third).toMatchObject({ new_alerts: 1, alerts: 3, conversation_id: first.conversation_id });
    const request = s.engine.requests[1];
    expect(request.conversationId).toBe(first.conversation_id);
    expect(request.userMessage).toBe(
      `Look.\n\n${summariseAlerts([alert('d', 'warning')], new Date(T0 + HOUR).toISOString())}`,
    );
    expect(request.context).toMatchObject({
      new_alerts: [alert('d', 'warning')],
      raise_alert_approval: false,
    });
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
    expect(s.engine.requests).toHaveLength(2);
  });

  it('does not ask for an approval when the definition does not', async () => {
    const s = setup([monitorAgent('flaring_monitor', { prompt: 'Look.', raise_alert_approval: false })]);
    s.monitors.flaring.set('t1', [alert('a')]);
    const [report] = await s.run();
    expect(report).toMatchObject({ new_alerts: 1, raise_alert: false, status: 'completed' });
    expect(report.approval_id).toBeUndefined();
    expect(s.engine.requests[0].context.raise_alert_approval).toBe(false);
  });

  it('says so in the log when a run asked to raise the alert did not stop at an approval (a model that ignored it)', async () => {
    const s = setup();
    s.engine.neverRaise();
    s.monitors.flaring.set('t1', [alert('a')]);
    const [report] = await s.run();
    expect(report).toMatchObject({ raise_alert: true, status: 'completed' });
    expect(report.approval_id).toBeUndefined();
    expect(s.warnings).toContain(
      'Scheduled monitor run found new critical alerts but raised no compliance_alert approval',
    );
  });

  it('reports the same alerts again after a run that did not complete (rejected), and after one that threw (budget exceeded)', async () => {
    const s = setup();
    s.monitors.flaring.set('t1', [alert('a')]);
    s.engine.setStatus('rejected');
    const [rejected] = await s.run();
    expect(rejected).toMatchObject({ status: 'rejected', new_alerts: 1 });
    expect(await s.state.get('t1', 'flaring-monitor-agent')).toBeUndefined();

    const run = s.engine.engine.run.bind(s.engine.engine);
    s.engine.engine.run = () =>
      Promise.reject(Object.assign(new Error('budget'), { code: 'budget_exceeded' }));
    expect(await s.run()).toEqual([expect.objectContaining({ tenant: 't2' })]);
    expect(await s.state.get('t1', 'flaring-monitor-agent')).toBeUndefined();

    s.engine.engine.run = run;
    s.engine.setStatus('completed');
    const [retried] = await s.run();
    expect(retried).toMatchObject({
      status: 'awaiting_approval',
      new_alerts: 1,
      approval_id: expect.any(String),
    });
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
    expect(report).toMatchObject({ agent_id: 'compliance-monitor-agent', new_alerts: 2, raise_alert: true });
    // Most severe first.
    expect(
      (s.engine.requests[0].context.new_alerts as { dedupe_key: string }[]).map((a) => a.dedupe_key),
    ).toEqual(['pr', 'dl']);
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
    const reports = await monitorAgentsSweep(s.deps)(controller.signal);
    expect(reports).toHaveLength(1);
    expect(s.engine.requests).toHaveLength(1);
  });
});
