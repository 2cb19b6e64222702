import http from 'node:http';
import { createLogger, openStore, type Store } from '@aegis/common';
import { createFakeGraphClient, type FakeGraphClient } from '@aegis/graph-client/testing';
import { describeOnBothStores, listen, type Listening } from '@aegis/testing';
import { listAlerts } from '../../store/alerts';
import { COMPLIANCE_MIGRATIONS } from '../../store/migrations';
import type { ComplianceStore } from '../../store/schema';
import { createPublisher } from '../publish';
import { sweepOnce, type SweepDeps } from '../sweep';

const WELL = '42317301230000';
const NOW = Date.parse('2026-06-20T06:00:00Z');

/** GIVEN tenant t1 with one active well that flared with no authorisation in June 2026 and a Form PR
 * due in 3 days, and tenant t2 with a deadline due in 20 days. */
async function seed(kg: FakeGraphClient): Promise<void> {
  await kg.bulk('t1', {
    entities: [
      {
        label: 'Well',
        entity_id: WELL,
        properties: {
          status: 'active',
          production: [{ period: '2026-06', oil_bbl: 100, gas_mcf: 100, flared_mcf: 40 }],
        },
      },
      {
        label: 'ComplianceDeadline',
        entity_id: 'DL-1',
        properties: { title: 'Form PR', deadline_type: 'Form PR', due_date: '2026-06-23' },
      },
    ],
    edges: [
      {
        from_label: 'ComplianceDeadline',
        from_id: 'DL-1',
        rel_type: 'APPLIES_TO',
        to_label: 'Well',
        to_id: WELL,
        properties: {},
      },
    ],
  });
  await kg.bulk('t2', {
    entities: [
      {
        label: 'ComplianceDeadline',
        entity_id: 'DL-2',
        properties: { title: 'Permit', due_date: '2026-07-10' },
      },
    ],
    edges: [],
  });
}

/** A stand-in for the flaring monitor's POST /events: 201 for a new idempotency key, 409 after. */
function fakeFlaringMonitor() {
  const keys = new Map<string, number>();
  const posts: { tenant: string | null; auth: string | undefined; body: Record<string, unknown> }[] = [];
  const server = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw) as Record<string, unknown>;
    const url = new URL(req.url ?? '/', 'http://x');
    posts.push({ tenant: url.searchParams.get('tenant_id'), auth: req.headers.authorization, body });
    const key = `${url.searchParams.get('tenant_id')}|${String(body.idempotency_key)}`;
    keys.set(key, (keys.get(key) ?? 0) + 1);
    res.statusCode =
      req.method === 'POST' && url.pathname === '/events' ? (keys.get(key)! > 1 ? 409 : 201) : 404;
    res.end('{}');
  };
  return {
    handler: (req: http.IncomingMessage, res: http.ServerResponse) => void server(req, res),
    keys,
    posts,
  };
}

describeOnBothStores('the compliance sweep', 'compliance.db', (url) => {
  let a: Store;
  let b: Store;
  let monitor: ReturnType<typeof fakeFlaringMonitor>;
  let listening: Listening;
  let kg: FakeGraphClient;

  beforeAll(async () => {
    a = await openStore({ url: url() });
    await a.migrate('compliance-monitor', COMPLIANCE_MIGRATIONS);
    b = await openStore({ url: url() }); // a second replica on the same database
    monitor = fakeFlaringMonitor();
    listening = await listen(monitor.handler);
    kg = createFakeGraphClient();
    await seed(kg);
  });
  afterAll(async () => {
    await listening.close();
    await a.close();
    await b.close();
  });

  const deps = (store: Store): SweepDeps => {
    const logger = createLogger({ level: 'silent', service: 'test' });
    return {
      store: store as ComplianceStore,
      kg,
      identity: {
        tenants: async () => ['t1', 't2'],
        caller: async (t) => ({ token: `svc-${t}`, tenantId: t }),
      },
      publish: createPublisher({ flaringMonitorUrl: listening.url, logger }),
      logger,
      now: () => NOW,
    };
  };

  it('records each alert once when two sweepers race, and publishes each on the tenant’s stream', async () => {
    // WHEN two replicas sweep at the same time, then one sweeps again
    const [r1, r2] = await Promise.all([sweepOnce(deps(a)), sweepOnce(deps(b))]);
    const r3 = await sweepOnce(deps(a));

    // THEN t1 has exactly the unauthorised flaring and the 3-day deadline, t2 its 20-day deadline
    const t1 = await listAlerts(a as ComplianceStore, 't1');
    const t2 = await listAlerts(a as ComplianceStore, 't2');
    expect(t1.map((x) => x.dedupe_key).sort()).toEqual([
      'deadline_7d:ComplianceDeadline:DL-1:2026-06-23',
      `unauthorized_flaring:Well:${WELL}:2026-06`,
    ]);
    expect(t1.find((x) => x.code === 'unauthorized_flaring')).toMatchObject({
      level: 'critical',
      rule: '16 TAC §3.32 (Rule 32)',
      source: 'compliance-monitor',
      entity: { label: 'Well', id: WELL },
      data: { period: '2026-06', flared_mcf: 40 },
    });
    expect(t2.map((x) => [x.code, x.level])).toEqual([['deadline_30d', 'warning']]);
    expect(r1.recorded + r2.recorded).toBe(3);
    expect(r3).toEqual({ recorded: 0, published: 0 });

    // and every alert reached the flaring monitor, once accepted, under its tenant and dedupe key
    const accepted = [...monitor.keys.keys()].sort();
    expect(accepted).toEqual([
      't1|deadline_7d:ComplianceDeadline:DL-1:2026-06-23',
      `t1|unauthorized_flaring:Well:${WELL}:2026-06`,
      't2|deadline_30d:ComplianceDeadline:DL-2:2026-07-10',
    ]);
    expect(monitor.posts.every((p) => p.body.event_type === 'compliance_alert')).toBe(true);
    expect(monitor.posts.find((p) => p.tenant === 't2')?.auth).toBe('Bearer svc-t2');
  });

  it('retries an alert the flaring monitor did not accept on the next sweep', async () => {
    const logger = createLogger({ level: 'silent', service: 'test' });
    await kg.bulk('t2', {
      entities: [
        {
          label: 'ComplianceDeadline',
          entity_id: 'DL-3',
          properties: { title: 'Late', due_date: '2026-06-01' },
        },
      ],
      edges: [],
    });
    const down = {
      ...deps(a),
      publish: createPublisher({ flaringMonitorUrl: 'http://127.0.0.1:9', logger, timeoutMs: 500 }),
    };
    expect(await sweepOnce(down)).toEqual({ recorded: 1, published: 0 });
    expect(await sweepOnce(deps(a))).toEqual({ recorded: 0, published: 1 });
    expect(monitor.keys.get('t2|deadline_overdue:ComplianceDeadline:DL-3:2026-06-01')).toBe(1);
  });
});
