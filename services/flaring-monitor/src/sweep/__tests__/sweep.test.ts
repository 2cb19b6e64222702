import { createLogger, openStore, type Store } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { FLARING_MIGRATIONS } from '../../store/migrations';
import { StreamHub } from '../../stream/hub';
import type { StreamEntry } from '../../stream/log';
import type { NewAlert } from '../alerts';
import { flaringSweep, startFlaringSweeper, type AlertsOf } from '../sweep';

const logger = createLogger({ service: 'sweep-test', level: 'silent' });

const alert = (well: string, code = 'volume_80pct'): NewAlert => ({
  level: 'warning',
  code,
  rule: '16 TAC §3.32 (Rule 32)',
  entity: { label: 'Well', id: well },
  message: `Well ${well} used 80 % of its authorised volume`,
  data: { used_mcf: 800, authorised_mcf: 1000 },
  dedupe_key: `${code}:Well:${well}:FA-1`,
});

/** Two replicas on one database: each its own store handle, sweeper and stream hub. */
describeOnBothStores('flaring sweep', 'sweep.db', (url) => {
  let a: Store;
  let b: Store;
  const identity = {
    tenants: async () => ['tenant-a', 'tenant-b'],
    caller: async (tenantId: string) => ({ token: 'service-token', tenantId }),
  };
  let produced: Record<string, NewAlert[]>;
  const alertsOf: AlertsOf = async (caller) => produced[caller.tenantId] ?? [];

  beforeAll(async () => {
    a = await openStore({ url: url() });
    await a.migrate('flaring-monitor', FLARING_MIGRATIONS);
    // better-sqlite3 is synchronous: a second handle of this process waiting for the file's write
    // lock would block the event loop that releases it. On SQLite the two replicas share one handle
    // (its mutex serialises their transactions); on PostgreSQL each has its own pool.
    b = a.dialect === 'sqlite' ? a : await openStore({ url: url() });
    await b.migrate('flaring-monitor', FLARING_MIGRATIONS);
  });
  afterAll(async () => {
    await a?.close();
    if (b !== a) await b?.close();
  });
  beforeEach(async () => {
    await a.db.deleteFrom('alerts').where('alert_id', 'is not', null).execute();
    await a.db.deleteFrom('stream_log').where('seq', '>', 0).execute();
    produced = { 'tenant-a': [alert('A1'), alert('A2')], 'tenant-b': [alert('B1')] };
  });

  const alertRows = () =>
    a.db.selectFrom('alerts').select(['tenant_id', 'dedupe_key']).orderBy('dedupe_key').execute();
  const streamRows = () =>
    a.db.selectFrom('stream_log').selectAll().where('event_type', '=', 'alert').execute();

  it('records each alert once when two replicas sweep at the same time, again and again', async () => {
    const sweepA = flaringSweep({ store: a, identity, alertsOf, logger });
    const sweepB = flaringSweep({ store: b, identity, alertsOf, logger });
    const signal = new AbortController().signal;
    for (let i = 0; i < 3; i++) await Promise.all([sweepA(signal), sweepB(signal), sweepA(signal)]);
    expect(await alertRows()).toEqual([
      { tenant_id: 'tenant-a', dedupe_key: 'volume_80pct:Well:A1:FA-1' },
      { tenant_id: 'tenant-a', dedupe_key: 'volume_80pct:Well:A2:FA-1' },
      { tenant_id: 'tenant-b', dedupe_key: 'volume_80pct:Well:B1:FA-1' },
    ]);
    // Published exactly once each, on their own tenant's stream.
    const published = await streamRows();
    expect(published.map((r) => [r.tenant_id, (JSON.parse(r.data) as NewAlert).dedupe_key]).sort()).toEqual([
      ['tenant-a', 'volume_80pct:Well:A1:FA-1'],
      ['tenant-a', 'volume_80pct:Well:A2:FA-1'],
      ['tenant-b', 'volume_80pct:Well:B1:FA-1'],
    ]);
  });

  it('lets one of two sweepers hold the lease; the other skips, and nothing is recorded twice', async () => {
    const one = startFlaringSweeper({
      store: a,
      identity,
      alertsOf,
      logger,
      intervalMs: 60_000,
      initialDelayMs: Infinity,
    });
    const two = startFlaringSweeper({
      store: b,
      identity,
      alertsOf,
      logger,
      intervalMs: 60_000,
      initialDelayMs: Infinity,
    });
    try {
      const ran = await Promise.all([one.runOnce(), two.runOnce()]);
      expect(ran.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(await two.runOnce()).toBe(ran[1]);
      expect(await alertRows()).toHaveLength(3);
      expect(await streamRows()).toHaveLength(3);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('delivers a sweep’s new alert to a subscriber of that tenant on another replica', async () => {
    const hub = new StreamHub({ store: b, pollMs: 20, logger });
    const gotA: StreamEntry[] = [];
    const gotB: StreamEntry[] = [];
    const unsubscribeA = await hub.subscribe('tenant-a', {
      deliver: (e) => gotA.push(e),
      end: () => undefined,
    });
    const unsubscribeB = await hub.subscribe('tenant-b', {
      deliver: (e) => gotB.push(e),
      end: () => undefined,
    });
    try {
      produced = { 'tenant-a': [alert('A9', 'volume_100pct')] };
      await flaringSweep({ store: a, identity, alertsOf, logger })(new AbortController().signal);
      const deadline = Date.now() + 5000;
      while (gotA.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(gotA).toEqual([
        expect.objectContaining({
          tenant_id: 'tenant-a',
          event_type: 'alert',
          data: expect.objectContaining({
            alert_id: expect.stringMatching(/^alr-/),
            code: 'volume_100pct',
            source: 'flaring-monitor',
            entity: { label: 'Well', id: 'A9' },
          }),
        }),
      ]);
      expect(gotB).toEqual([]);
    } finally {
      unsubscribeA();
      unsubscribeB();
      await hub.close();
    }
  });

  it('skips a tenant whose assessment fails and still records the others', async () => {
    const failing: AlertsOf = async (caller) => {
      if (caller.tenantId === 'tenant-a') throw new Error('knowledge graph unreachable');
      return produced[caller.tenantId] ?? [];
    };
    await flaringSweep({ store: a, identity, alertsOf: failing, logger })(new AbortController().signal);
    expect(await alertRows()).toEqual([{ tenant_id: 'tenant-b', dedupe_key: 'volume_80pct:Well:B1:FA-1' }]);
  });
});
