import pino from 'pino';
import { openStore, sweeperMigrations, type Store } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { createMonitorStateStore, monitorStateMigrations } from '../state';
import { startMonitorAgents, type MonitorAgents, type MonitorAgentsOptions } from '../start';
import { alert, fakeClients, fakeEngine, fakeIdentity, GENERAL, monitorAgent } from './fixtures';

const logger = pino({ level: 'silent' });
const MIGRATIONS = [...monitorStateMigrations, ...sweeperMigrations];

describeOnBothStores('startMonitorAgents', 'orchestration.db', (url) => {
  let a: Store;
  let b: Store;
  const started: MonitorAgents[] = [];
  let clock = Date.parse('2026-06-20T06:00:00Z');

  beforeAll(async () => {
    // Two replicas: one store handle each, on one database.
    a = await openStore({ url: url(), logger });
    b = await openStore({ url: url(), logger });
    await a.migrate('orchestration', MIGRATIONS);
    await b.migrate('orchestration', MIGRATIONS);
  });
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  function replica(store: Store, over: Partial<MonitorAgentsOptions> = {}) {
    const monitors = fakeClients();
    monitors.flaring.set('t1', [alert('a')]);
    const engine = fakeEngine();
    const s = startMonitorAgents({
      engine: engine.engine,
      identity: fakeIdentity(['t1']),
      catalog: { list: () => [monitorAgent('flaring_monitor'), GENERAL] },
      clients: monitors.clients,
      store,
      logger,
      intervalMs: 60_000,
      initialDelayMs: Infinity,
      now: () => clock,
      ...over,
    });
    started.push(s);
    return { s, engine };
  }

  it('keeps what each tenant’s agent saw in the store, per tenant and agent', async () => {
    const state = createMonitorStateStore(a);
    expect(await state.get('t9', 'flaring-monitor-agent')).toBeUndefined();
    await state.put('t9', 'flaring-monitor-agent', {
      seen: ['x', 'y'],
      last_run_at: '2026-06-20T06:00:00.000Z',
    });
    await state.put('t9', 'flaring-monitor-agent', {
      seen: ['y'],
      conversation_id: 'conv-1',
      last_run_id: 'run-1',
      last_run_at: '2026-06-20T07:00:00.000Z',
    });
    await state.put('t8', 'flaring-monitor-agent', { seen: ['z'], last_run_at: '2026-06-20T06:00:00.000Z' });
    expect(await createMonitorStateStore(b).get('t9', 'flaring-monitor-agent')).toEqual({
      seen: ['y'],
      conversation_id: 'conv-1',
      last_run_id: 'run-1',
      last_run_at: '2026-06-20T07:00:00.000Z',
    });
    expect(await state.get('t9', 'compliance-monitor-agent')).toBeUndefined();
  });

  it('runs on one replica at a time, and the other takes over once it stops', async () => {
    const one = replica(a);
    const two = replica(b);

    const reports = await one.s.runOnce();
    expect(reports).toEqual([expect.objectContaining({ tenant: 't1', new_alerts: 1, approval_id: 'apr-1' })]);
    // The lease is sticky: replica two does not run while one holds it.
    expect(await two.s.runOnce()).toBeUndefined();
    expect(two.engine.requests).toEqual([]);

    await one.s.stop();
    // THEN two runs, and the state written by one says the alert is not new.
    clock += 60_000;
    expect(await two.s.runOnce()).toEqual([
      expect.objectContaining({ tenant: 't1', new_alerts: 0, skipped: true }),
    ]);
    expect(two.engine.requests).toEqual([]);
  });

  it('is off, running nothing, when the interval is 0, no identity is configured, or no agent has a schedule', async () => {
    for (const over of [
      { intervalMs: 0 },
      { identity: undefined },
      { catalog: { list: () => [GENERAL] } },
    ] satisfies Partial<MonitorAgentsOptions>[]) {
      const r = replica(a, over);
      expect(await r.s.runOnce()).toBeUndefined();
      expect(r.engine.requests).toEqual([]);
    }
  });
});
