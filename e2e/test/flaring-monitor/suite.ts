/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers read field by field */
import type { FlaringPlatform } from './platform';

/**
 * The flaring endpoints through the gateway, against a knowledge graph holding (tenant `default`):
 * - W1 (42-329-30001) with authorisation R32-E2E-1: 100 mcf/day, 2026-01-01 → 2026-06-30 (180 days,
 *   so 18,000 mcf authorised);
 * - W2 (42-329-30002), spudded 2022-03-01 (NSPS OOOOb), with no authorisation;
 * - W3 (42-329-30003) ON_LEASE L-E2E, whose lease R32-E2E-L authorises (lease-wide).
 */
export const W1 = '42329300010000';
export const W2 = '42329300020000';
export const W3 = '42329300030000';

const graph = {
  entities: [
    {
      label: 'Well',
      entity_id: W1,
      properties: { api_number: W1, spud_date: '2019-05-01', status: 'producing' },
    },
    {
      label: 'Well',
      entity_id: W2,
      properties: { api_number: W2, spud_date: '2022-03-01', status: 'producing' },
    },
    {
      label: 'Well',
      entity_id: W3,
      properties: { api_number: W3, spud_date: '2020-01-01', status: 'producing' },
    },
    { label: 'Lease', entity_id: 'L-E2E', properties: { lease_number: 'L-E2E' } },
    {
      label: 'FlaringAuthorization',
      entity_id: 'R32-E2E-1',
      properties: {
        status: 'approved',
        effective_date: '2026-01-01',
        expiry_date: '2026-06-30',
        max_volume_mcf_per_day: 100,
      },
    },
    {
      label: 'FlaringAuthorization',
      entity_id: 'R32-E2E-L',
      properties: {
        status: 'approved',
        effective_date: '2026-01-01',
        expiry_date: '2026-06-30',
        max_volume_mcf_per_day: 500,
      },
    },
  ],
  edges: [
    {
      from_label: 'FlaringAuthorization',
      from_id: 'R32-E2E-1',
      rel_type: 'AUTHORIZES',
      to_label: 'Well',
      to_id: W1,
    },
    { from_label: 'Well', from_id: W3, rel_type: 'ON_LEASE', to_label: 'Lease', to_id: 'L-E2E' },
    {
      from_label: 'FlaringAuthorization',
      from_id: 'R32-E2E-L',
      rel_type: 'AUTHORIZES',
      to_label: 'Lease',
      to_id: 'L-E2E',
    },
  ],
};

const event = (over: Record<string, unknown> = {}) => ({
  well_id: '42-329-30001',
  start_time: '2026-01-10T00:00:00Z',
  end_time: '2026-01-10T12:00:00Z',
  volume_mcf: 100,
  disposition: '10',
  cause: 'compressor down',
  ...over,
});

export function flaringPlatformSuite(start: () => Promise<FlaringPlatform>): void {
  let p: FlaringPlatform;
  let op: string;
  const total = async (query = '', token = op) =>
    (await p.call('GET', `flare-events?page_size=1${query}`, token)).body.total as number;
  const expect422 = (r: { status: number; body: any }, loc: (string | number)[]) => {
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('validation_error');
    expect(typeof r.body.request_id).toBe('string');
    expect(r.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc })]));
  };

  beforeAll(async () => {
    p = await start();
    op = p.tokens.operator;
    const seeded = await p.call('POST', 'entities/bulk', op, graph);
    if (seeded.status !== 200) throw new Error(`seed: ${seeded.status} ${JSON.stringify(seeded.body)}`);
  }, 180_000);

  afterAll(async () => {
    await p?.stop();
  }, 60_000);

  describe('bad input answers 422 naming the field and stores nothing', () => {
    it.each([
      ['a negative volume', { volume_mcf: -1 }, ['body', 'volume_mcf']],
      ['an end before the start', { end_time: '2026-01-09T23:00:00Z' }, ['body', 'end_time']],
      ['an unknown disposition code', { disposition: '12' }, ['body', 'disposition']],
      ['an invalid API number', { well_id: '42-000-12345' }, ['body', 'well_id']],
      ['a well the knowledge graph does not know', { well_id: '42-329-39999' }, ['body', 'well_id']],
      ['an unknown authorisation', { authorization_id: 'R32-NOPE' }, ['body', 'authorization_id']],
    ])('%s', async (_what, over, loc) => {
      const before = await total();
      expect422(await p.call('POST', 'flare-events', op, event(over)), loc);
      expect(await total()).toBe(before);
    });

    it('ingest: a batch with a malformed reading stores none of it', async () => {
      const before = await total();
      const r = await p.call('POST', 'flaring/ingest', op, {
        readings: [
          { reading_id: 'bad-1', ...event() },
          { reading_id: 'bad-2', ...event({ volume_mcf: -5 }) },
        ],
      });
      expect422(r, ['body', 'readings', 1, 'volume_mcf']);
      expect(await total()).toBe(before);
    });

    it('a viewer cannot record a flare event', async () => {
      const r = await p.call('POST', 'flare-events', p.tokens.viewer, event());
      expect(r.status).toBe(403);
    });
  });

  describe('flare events', () => {
    let created: any;

    it('POST links the authorisation that covers the start (direct, or the lease-wide one)', async () => {
      const r = await p.call('POST', 'flare-events', op, event({ volume_mcf: 14_382 }));
      expect(r.status).toBe(201);
      created = r.body;
      expect(created).toMatchObject({
        well_id: W1,
        authorization_id: 'R32-E2E-1',
        start_time: '2026-01-10T00:00:00.000Z',
        status: 'open',
        source: 'manual',
      });
      expect(created.event_id).toMatch(/^fe-/);
      const lease = await p.call('POST', 'flare-events', op, event({ well_id: W3, volume_mcf: 10 }));
      expect(lease.body.authorization_id).toBe('R32-E2E-L');
      const outside = await p.call(
        'POST',
        'flare-events',
        op,
        event({
          well_id: W3,
          start_time: '2026-07-02T00:00:00Z',
          end_time: '2026-07-02T01:00:00Z',
          volume_mcf: 1,
        }),
      );
      expect(outside.body.authorization_id).toBeNull();
      expect((await p.call('DELETE', `flare-events/${outside.body.event_id}`, op)).status).toBe(204);
    });

    it('GET lists with filters and the list envelope; GET by id', async () => {
      const list = await p.call(
        'GET',
        `flare-events?well_id=42-329-30001&disposition=10&from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z`,
        op,
      );
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 1, page: 1, page_size: 20 });
      expect(list.body.data[0].event_id).toBe(created.event_id);
      expect((await p.call('GET', 'flare-events?status=closed', op)).body.total).toBe(0);
      expect((await p.call('GET', `flare-events?authorization_id=R32-E2E-L`, op)).body.total).toBe(1);
      expect(await p.call('GET', `flare-events/${created.event_id}`, p.tokens.viewer)).toMatchObject({
        status: 200,
        body: { event_id: created.event_id },
      });
      expect422(await p.call('GET', 'flare-events?disposition=99', op), ['query', 'disposition']);
    });

    it('PATCH changes the event with the same checks; correlate links entities and events', async () => {
      const r = await p.call('PATCH', `flare-events/${created.event_id}`, op, { status: 'reviewed' });
      expect(r.body.status).toBe('reviewed');
      expect422(
        await p.call('PATCH', `flare-events/${created.event_id}`, op, { end_time: '2026-01-01T00:00:00Z' }),
        ['body', 'end_time'],
      );
      expect((await p.call('GET', `flare-events/${created.event_id}`, op)).body.end_time).toBe(
        '2026-01-10T12:00:00.000Z',
      );
      const c = await p.call('POST', `flare-events/${created.event_id}/correlate`, op, {
        targets: [{ kind: 'entity', label: 'Well', id: W1 }],
        note: 'same compressor',
      });
      expect(c.status).toBe(200);
      expect(c.body.correlated).toEqual([expect.objectContaining({ kind: 'entity', label: 'Well', id: W1 })]);
      expect422(
        await p.call('POST', `flare-events/${created.event_id}/correlate`, op, {
          targets: [{ kind: 'entity', label: 'Well', id: '42329399990000' }],
        }),
        ['body', 'targets', 0, 'id'],
      );
    });

    it('source_reading_id: the same reading again → 200 with the stored event; different content → 409', async () => {
      const first = await p.call(
        'POST',
        'flare-events',
        op,
        event({ source_reading_id: 'scada-1', volume_mcf: 0 }),
      );
      expect(first.status).toBe(201);
      const again = await p.call(
        'POST',
        'flare-events',
        op,
        event({ source_reading_id: 'scada-1', volume_mcf: 0 }),
      );
      expect(again).toMatchObject({ status: 200, body: { event_id: first.body.event_id } });
      const before = await total();
      const other = await p.call(
        'POST',
        'flare-events',
        op,
        event({ source_reading_id: 'scada-1', volume_mcf: 1 }),
      );
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ code: 'reading_conflict' });
      expect(typeof other.body.request_id).toBe('string');
      expect(await total()).toBe(before);
    });

    it('the same reading sent five times at once is stored once', async () => {
      const before = await total();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          p.call('POST', 'flare-events', op, event({ source_reading_id: 'scada-race', volume_mcf: 0 })),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.event_id)).size).toBe(1);
      expect(await total()).toBe(before + 1);
    });

    it('POST /flaring/ingest: created, unchanged and rejected readings', async () => {
      const batch = {
        readings: [
          { reading_id: 'scada-1', ...event({ volume_mcf: 0 }) },
          { reading_id: 'scada-2', ...event({ well_id: W3, volume_mcf: 5 }) },
          { reading_id: 'scada-3', ...event({ well_id: '42-329-39999' }) },
        ],
      };
      const r = await p.call('POST', 'flaring/ingest', op, batch);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ received: 3, created: 1, unchanged: 1, rejected: 1 });
      expect(r.body.results[2]).toMatchObject({
        status: 'rejected',
        error: { code: 'unknown_well', field: 'well_id' },
      });
      const again = await p.call('POST', 'flaring/ingest', op, batch);
      expect(again.body).toMatchObject({ created: 0, unchanged: 2, rejected: 1 });
      const stored = await p.call('GET', `flare-events/${r.body.results[1].event_id}`, op);
      expect(stored.body).toMatchObject({ well_id: W3, source: 'scada', source_reading_id: 'scada-2' });
    });
  });

  describe('POST /flaring/assess', () => {
    const assess = (body: unknown) => p.call('POST', 'flaring/assess', op, body);

    it('79.9 % of the authorised volume: no alert; 80 %: warning', async () => {
      // 14,382 + 0 (scada-1) = 14,382 mcf of 18,000 = 79.9 %.
      const below = await assess({ well_id: W1, as_of: '2026-02-01' });
      expect(below.status).toBe(200);
      const a = below.body.authorizations.find((x: any) => x.authorization_id === 'R32-E2E-1');
      expect(a).toMatchObject({
        authorised_days: 180,
        authorised_volume_mcf: 18_000,
        cumulative_volume_mcf: 14_382,
        volume_pct: 79.9,
        days_used: 31,
        level: 'ok',
      });
      const add = await p.call(
        'POST',
        'flare-events',
        op,
        event({ volume_mcf: 18, start_time: '2026-01-20T00:00:00Z', end_time: '2026-01-20T01:00:00Z' }),
      );
      expect(add.status).toBe(201);
      const at = await assess({ well_id: W1, as_of: '2026-02-01' });
      const b = at.body.authorizations.find((x: any) => x.authorization_id === 'R32-E2E-1');
      expect(b).toMatchObject({ cumulative_volume_mcf: 14_400, volume_pct: 80, level: 'warning' });
      expect(b.alerts).toEqual([
        expect.objectContaining({ code: 'volume_80pct', level: 'warning', rule: '16 TAC §3.32 (Rule 32)' }),
      ]);
      expect(at.body.level).toBe('warning');
    });

    it('day 149: no day alert; day 150: warning; after the expiry: critical', async () => {
      const days = async (asOf: string) =>
        (await assess({ authorization_id: 'R32-E2E-1', as_of: asOf })).body.authorizations[0].alerts.map(
          (a: any) => a.code,
        );
      expect(await days('2026-05-30')).toEqual(['volume_80pct']);
      expect(await days('2026-05-31')).toEqual(['volume_80pct', 'days_150']);
      expect(await days('2026-07-01')).toEqual(['volume_80pct', 'authorization_expired']);
    });

    it('flaring with no authorisation is critical; a well spudded after 2021-11-15 gets OOOOb info', async () => {
      const r = await p.call('POST', 'flare-events', op, event({ well_id: W2, volume_mcf: 42 }));
      expect(r.body.authorization_id).toBeNull();
      const a = await assess({ well_id: W2, as_of: '2026-02-01' });
      expect(a.body.level).toBe('critical');
      expect(a.body.unauthorized).toEqual([
        expect.objectContaining({ well_id: W2, volume_mcf: 42, level: 'critical' }),
      ]);
      expect(a.body.alerts.map((x: any) => [x.code, x.level])).toEqual([
        ['unauthorized_flaring', 'critical'],
        ['oooob_applicable', 'info'],
      ]);
      const tenant = await assess({ as_of: '2026-02-01' });
      expect(tenant.body.summary.critical).toBeGreaterThanOrEqual(1);
      expect(tenant.body.authorizations.map((x: any) => x.authorization_id).sort()).toEqual([
        'R32-E2E-1',
        'R32-E2E-L',
      ]);
    });

    it('an event linked to an authorisation outside its period is flaring without a valid authorisation', async () => {
      const late = await p.call(
        'POST',
        'flare-events',
        op,
        event({
          authorization_id: 'R32-E2E-1',
          start_time: '2026-07-05T00:00:00Z',
          end_time: '2026-07-05T01:00:00Z',
          volume_mcf: 0,
        }),
      );
      expect(late.body.authorization_id).toBe('R32-E2E-1');
      const a = await assess({ authorization_id: 'R32-E2E-1', as_of: '2026-07-06' });
      expect(a.body.unauthorized).toEqual([
        expect.objectContaining({ well_id: W1, events: 1, level: 'critical' }),
      ]);
      expect(a.body.unauthorized[0].alerts[0].data.event_id).toBe(late.body.event_id);
    });

    it('an unknown well is a 422 naming well_id', async () => {
      expect422(await assess({ well_id: '42-329-39999' }), ['body', 'well_id']);
    });
  });

  describe('calculations', () => {
    it('emissions of 1,000 mcf flared with the default composition: CO2e 75.1716 t (README hand calculation)', async () => {
      const r = await p.call('POST', 'flaring/emissions', op, { volume_mcf: 1000, disposition: '10' });
      expect(r.status).toBe(200);
      expect(r.body.composition_source).toBe('default');
      expect(r.body.note).toMatch(/default composition/);
      expect(r.body.total.co2_t).toBeCloseTo(66.5455, 4);
      expect(r.body.total.ch4_t).toBeCloseTo(0.306907, 5);
      expect(r.body.total.n2o_t).toBeCloseTo(0.0001235, 7);
      expect(r.body.total.co2e_t).toBeCloseTo(75.1716, 4);
      expect(r.body.by_disposition[0].gwp).toMatchObject({ ch4: 28, n2o: 265 });
    });

    it('emissions refuse a composition that does not sum to 1, a negative volume and an unknown code', async () => {
      expect422(
        await p.call('POST', 'flaring/emissions', op, { volume_mcf: 1, gas_composition: { methane: 0.5 } }),
        ['body', 'gas_composition'],
      );
      expect422(await p.call('POST', 'flaring/emissions', op, { volume_mcf: -1 }), ['body', 'volume_mcf']);
      expect422(await p.call('POST', 'flaring/emissions', op, { volume_mcf: 1, disposition: '7' }), [
        'body',
        'disposition',
      ]);
    });

    it('burn rate over the trailing 7 days and the forecast against the expiry', async () => {
      // W3's lease authorisation: 10 mcf (2026-01-10) and 5 mcf (scada-2, same day).
      const br = await p.call('GET', 'flaring/burn-rate?authorization_id=R32-E2E-L&as_of=2026-01-12', op);
      expect(br.status).toBe(200);
      // (10 + 5) / 7 = 2.143 mcf/day.
      expect(br.body).toMatchObject({ window_days: 7, volume_mcf: 15, burn_rate_mcf_per_day: 2.143 });
      const f = await p.call('POST', 'flaring/forecast', op, {
        authorization_id: 'R32-E2E-L',
        as_of: '2026-01-12',
      });
      expect(f.status).toBe(200);
      // 500 × 180 = 90,000 authorised; 89,985 remaining at 2.143/day: the expiry comes first.
      expect(f.body.data[0]).toMatchObject({
        authorised_volume_mcf: 90_000,
        remaining_volume_mcf: 89_985,
        binding_limit: 'expiry',
        expiry_date: '2026-06-30',
        exhausted_before_expiry: false,
      });
      expect422(await p.call('GET', 'flaring/burn-rate?window_days=0', op), ['query', 'window_days']);
    });

    it('validate lists every R-32 issue with its path and severity', async () => {
      const r = await p.call('POST', 'flaring/validate', op, {
        operator_number: '123456',
        lease_number: '51002',
        district: '08',
        well_ids: ['42-000-1'],
        requested_volume_mcf_per_day: 250,
        start_date: '2026-03-01',
        end_date: '2026-08-28',
        reason: 'no capacity',
        filing_date: '2026-03-01',
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ valid: false, errors: 1, warnings: 1 });
      expect(r.body.issues.map((i: any) => [i.path, i.severity])).toEqual([
        ['well_ids[0]', 'error'],
        ['gathering_plan', 'warning'],
      ]);
    });
  });

  it('the gateway’s merged document describes the flaring endpoints', async () => {
    const doc = (await (await fetch(`${p.base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      'x-aegis-unavailable-services'?: string[];
    };
    expect(doc['x-aegis-unavailable-services'] ?? []).not.toContain('flaring-monitor');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/flare-events/{id}/correlate',
        '/api/v1/flaring/assess',
        '/api/v1/flaring/burn-rate',
      ]),
    );
  });

  describe('tenant isolation', () => {
    it('another tenant sees none of these events and cannot flare against these wells', async () => {
      const other = p.tokens.otherTenant;
      expect(await total('', other)).toBe(0);
      const mine = (await p.call('GET', 'flare-events?page_size=1', op)).body.data[0];
      expect((await p.call('GET', `flare-events/${mine.event_id}`, other)).status).toBe(404);
      expect((await p.call('DELETE', `flare-events/${mine.event_id}`, other)).status).toBe(404);
      expect422(await p.call('POST', 'flare-events', other, event()), ['body', 'well_id']);
      const a = await p.call('POST', 'flaring/assess', other, { as_of: '2026-02-01' });
      expect(a.body).toMatchObject({ authorizations: [], unauthorized: [], alerts: [] });
      expect((await p.call('GET', `flare-events?tenant_id=default`, other)).status).toBe(403);
    });
  });
}
