import http from 'node:http';
import { listen, type Listening } from '@aegis/testing';
import { startCompliancePlatform, type CompliancePlatform } from './platform';

/** The running monitor's scheduled sweep: with its own service token it reads every tenant's graph and
 * publishes each new alert once to the flaring monitor's POST /events (here a small HTTP stand-in). */
describe('compliance sweep (process, service identity, publishing)', () => {
  let p: CompliancePlatform;
  let monitor: Listening;
  const received: {
    tenant: string | null;
    body: { event_type: string; idempotency_key: string; data: { code: string } };
  }[] = [];

  beforeAll(async () => {
    monitor = await listen((req: http.IncomingMessage, res: http.ServerResponse) => {
      let raw = '';
      req.on('data', (c) => (raw += String(c)));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = JSON.parse(raw) as (typeof received)[number]['body'];
        const seen = received.some((r) => r.body.idempotency_key === body.idempotency_key);
        received.push({ tenant: url.searchParams.get('tenant_id'), body });
        res.statusCode = seen ? 409 : 201;
        res.end('{}');
      });
    });
    p = await startCompliancePlatform({ SWEEP_INTERVAL_MS: '300', FLARING_MONITOR_URL: monitor.url });
  }, 180_000);
  afterAll(async () => {
    await p?.stop();
    await monitor?.close();
  });

  it('publishes an overdue deadline of each tenant once, under that tenant', async () => {
    // GIVEN an overdue deadline in default and in acme
    for (const [client, id] of [
      [p.admin, 'DL-SWEEP-DEFAULT'],
      [p.acme, 'DL-SWEEP-ACME'],
    ] as const) {
      const r = await client.call('POST', '/api/v1/entities', {
        label: 'ComplianceDeadline',
        entity_id: id,
        properties: { title: 'Overdue', deadline_type: 'Form PR', due_date: '2020-01-31' },
      });
      expect(r.status).toBe(201);
    }
    // WHEN the sweep has run a few times
    const deadline = Date.now() + 20_000;
    const keysOf = () => received.map((r) => `${r.tenant} ${r.body.idempotency_key}`);
    while (Date.now() < deadline && keysOf().length < 2) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1200)); // several more sweeps
    // THEN each was published once, as a compliance_alert, to its own tenant
    expect(keysOf().sort()).toEqual([
      'acme deadline_overdue:ComplianceDeadline:DL-SWEEP-ACME:2020-01-31',
      'default deadline_overdue:ComplianceDeadline:DL-SWEEP-DEFAULT:2020-01-31',
    ]);
    expect(received.every((r) => r.body.event_type === 'compliance_alert')).toBe(true);
  });
});
