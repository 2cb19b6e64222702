import { createLogger } from '@aegis/common';
import { describeOnBothStores, openSseClient } from '@aegis/testing';
import { flaringSweep } from '../../sweep/sweep';
import { startEventsHarness, type EventsHarness } from './app-harness';

/** Event types, operational events and the stream, through the app in process, on both stores. */
describeOnBothStores('flaring-monitor events API', 'events.db', (url) => {
  let h: EventsHarness;
  beforeAll(async () => {
    h = await startEventsHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });

  const count = async (table: 'op_events' | 'event_types' | 'stream_log') =>
    Number(
      (
        await h.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function activeType(key: string) {
    const created = await h.request('POST', '/event-types', {
      key,
      name: 'Gas leak',
      fields: [
        { name: 'severity', type: 'enum', values: ['low', 'high'], required: true },
        { name: 'ppm', type: 'number', min: 0 },
      ],
    });
    expect(created.status).toBe(201);
    const moved = await h.request('POST', `/event-types/${created.body.type_id}/transition`, {
      status: 'active',
    });
    expect(moved.status).toBe(200);
    return moved.body;
  }

  describe('event types', () => {
    it('creates a draft type, activates and deprecates it, and refuses any other move with 409', async () => {
      const created = await h.request('POST', '/event-types', { key: 'lifecycle', name: 'Lifecycle' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ key: 'lifecycle', status: 'draft', built_in: false, fields: [] });
      expect(created.body.type_id).toMatch(/^et-[0-9a-f-]{36}$/);
      const id = created.body.type_id as string;
      const back = await h.request('POST', `/event-types/${id}/transition`, { status: 'deprecated' });
      expect(back.status).toBe(409);
      expect(back.body).toMatchObject({ code: 'illegal_transition', request_id: expect.any(String) });
      expect((await h.request('GET', `/event-types/${id}`)).body.status).toBe('draft');
      expect(
        (await h.request('POST', `/event-types/${id}/transition`, { status: 'active' })).body.status,
      ).toBe('active');
      expect((await h.request('POST', `/event-types/lifecycle/transition`, { status: 'draft' })).status).toBe(
        409,
      );
      expect(
        (await h.request('POST', `/event-types/${id}/transition`, { status: 'deprecated' })).body.status,
      ).toBe('deprecated');
      expect((await h.request('POST', `/event-types/${id}/transition`, { status: 'active' })).status).toBe(
        409,
      );
    });

    it('lists the built-in compliance_alert type as active and refuses to change it', async () => {
      const list = await h.request('GET', '/event-types?status=active');
      expect(list.body.data.map((t: { key: string }) => t.key)).toContain('compliance_alert');
      const patch = await h.request('PATCH', '/event-types/compliance_alert', { name: 'x' });
      expect(patch.status).toBe(409);
      expect(patch.body.code).toBe('event_type_built_in');
      expect((await h.request('DELETE', '/event-types/compliance_alert')).status).toBe(409);
      expect(
        (await h.request('POST', '/event-types', { key: 'compliance_alert', name: 'Mine' })).status,
      ).toBe(409);
    });

    it('adds, patches, reorders and deletes fields; a reorder that is not a permutation is a 422', async () => {
      const t = (await h.request('POST', '/event-types', { key: 'fields_demo', name: 'Fields' })).body;
      const a = await h.request('POST', `/event-types/${t.type_id}/fields`, { name: 'a', type: 'string' });
      const b = await h.request('POST', `/event-types/${t.type_id}/fields`, {
        name: 'b',
        type: 'integer',
        min: 1,
      });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body).toMatchObject({ name: 'b', position: 1, required: false });
      const dup = await h.request('POST', `/event-types/${t.type_id}/fields`, { name: 'a', type: 'string' });
      expect(dup.status).toBe(409);
      const bad = await h.request('PUT', `/event-types/${t.type_id}/fields/reorder`, {
        field_ids: [b.body.field_id],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'field_ids']);
      const twice = await h.request('PUT', `/event-types/${t.type_id}/fields/reorder`, {
        field_ids: [a.body.field_id, a.body.field_id],
      });
      expect(twice.status).toBe(422);
      const ok = await h.request('PUT', `/event-types/${t.type_id}/fields/reorder`, {
        field_ids: [b.body.field_id, a.body.field_id],
      });
      expect(ok.body.data.map((f: { name: string; position: number }) => [f.name, f.position])).toEqual([
        ['b', 0],
        ['a', 1],
      ]);
      const patched = await h.request('PATCH', `/event-types/${t.type_id}/fields/${b.body.field_id}`, {
        min: null,
        max: 10,
        required: true,
      });
      expect(patched.body).toMatchObject({ name: 'b', max: 10, required: true });
      expect(patched.body.min).toBeUndefined();
      const wrong = await h.request('PATCH', `/event-types/${t.type_id}/fields/${b.body.field_id}`, {
        type: 'boolean',
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body.detail[0].loc).toEqual(['body', 'max']);
      expect((await h.request('DELETE', `/event-types/${t.type_id}/fields/${a.body.field_id}`)).status).toBe(
        204,
      );
      const fields = await h.request('GET', `/event-types/${t.type_id}/fields`);
      expect(fields.body).toEqual({ data: [expect.objectContaining({ name: 'b', position: 0 })], total: 1 });
      expect((await h.request('DELETE', `/event-types/${t.type_id}/fields/fld-nope`)).status).toBe(404);
    });

    it('on an active type in use: adding an optional field is fine; removing, retyping or requiring a used field is 409', async () => {
      const t = await activeType('in_use');
      const ppm = t.fields.find((f: { name: string }) => f.name === 'ppm');
      expect(
        (await h.request('POST', '/events', { event_type: 'in_use', data: { severity: 'low', ppm: 3 } }))
          .status,
      ).toBe(201);
      const extra = await h.request('POST', `/event-types/${t.type_id}/fields`, {
        name: 'note',
        type: 'string',
      });
      expect(extra.status).toBe(201);
      const required = await h.request('POST', `/event-types/${t.type_id}/fields`, {
        name: 'crew',
        type: 'string',
        required: true,
      });
      expect(required.status).toBe(409);
      expect(required.body.code).toBe('event_type_in_use');
      const retype = await h.request('PATCH', `/event-types/${t.type_id}/fields/${ppm.field_id}`, {
        type: 'string',
      });
      expect(retype.status).toBe(409);
      expect((await h.request('DELETE', `/event-types/${t.type_id}/fields/${ppm.field_id}`)).status).toBe(
        409,
      );
      expect((await h.request('PATCH', `/event-types/${t.type_id}`, { key: 'renamed' })).status).toBe(409);
      expect((await h.request('PATCH', `/event-types/${t.type_id}`, { name: 'Renamed' })).body.name).toBe(
        'Renamed',
      );
      expect((await h.request('DELETE', `/event-types/${t.type_id}`)).status).toBe(409);
      const after = await h.request('GET', `/event-types/${t.type_id}`);
      expect(after.body.fields.map((f: { name: string }) => f.name)).toEqual(['severity', 'ppm', 'note']);
    });
  });

  describe('operational events', () => {
    beforeAll(async () => {
      await activeType('gas_leak');
    });

    it('records an event against its active type and reads it back', async () => {
      const res = await h.request('POST', '/events', {
        event_type: 'gas_leak',
        entity: { label: 'Well', id: '42501201230000' },
        occurred_at: '2026-06-01T10:00:00Z',
        data: { severity: 'high', ppm: 120 },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        event_type: 'gas_leak',
        occurred_at: '2026-06-01T10:00:00.000Z',
        status: 'open',
        correlated: [],
        idempotency_key: null,
      });
      expect((await h.request('GET', `/events/${res.body.event_id}`)).body).toEqual(res.body);
      const list = await h.request('GET', '/events?event_type=gas_leak&entity_id=42501201230000');
      expect(list.body).toMatchObject({ total: 1, page: 1, page_size: 20 });
    });

    it('answers 422 naming data.<field> for bad data, and stores nothing', async () => {
      const before = [await count('op_events'), await count('stream_log')];
      for (const [data, loc, type] of [
        [{ ppm: 1 }, 'severity', 'missing'],
        [{ severity: 'medium' }, 'severity', 'enum'],
        [{ severity: 'low', ppm: -1 }, 'ppm', 'range'],
        [{ severity: 'low', colour: 'red' }, 'colour', 'extra_forbidden'],
      ] as const) {
        const res = await h.request('POST', '/events', { event_type: 'gas_leak', data });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
        expect(res.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'data', loc], type })]);
      }
      const unknown = await h.request('POST', '/events', { event_type: 'nope', data: {} });
      expect(unknown.status).toBe(422);
      expect(unknown.body.detail[0].loc).toEqual(['body', 'event_type']);
      expect([await count('op_events'), await count('stream_log')]).toEqual(before);
    });

    it('refuses events of a draft type with 422', async () => {
      await h.request('POST', '/event-types', { key: 'still_draft', name: 'Draft' });
      const res = await h.request('POST', '/events', { event_type: 'still_draft', data: {} });
      expect(res.status).toBe(422);
      expect(res.body.detail[0].msg).toMatch(/draft/);
    });

    it('answers 409 duplicate_event for a repeated idempotency key or the same content within the window', async () => {
      const body = { event_type: 'gas_leak', occurred_at: '2026-06-01T11:00:00Z', data: { severity: 'low' } };
      const first = await h.request('POST', '/events', body, { 'idempotency-key': 'k-1' });
      expect(first.status).toBe(201);
      expect(first.body.idempotency_key).toBe('k-1');
      const before = [await count('op_events'), await count('stream_log')];
      const again = await h.request('POST', '/events', {
        ...body,
        idempotency_key: 'k-1',
        data: { severity: 'high' },
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'duplicate_event', request_id: expect.any(String) });
      expect(again.body.detail).toContain(first.body.event_id);
      const same = await h.request('POST', '/events', body);
      expect(same.status).toBe(409);
      expect(same.body.detail).toContain(first.body.event_id);
      expect([await count('op_events'), await count('stream_log')]).toEqual(before);
      // GIVEN the window (10 min by default) has passed WHEN the same content comes again THEN it is recorded.
      h.clock.now += 600_001;
      expect((await h.request('POST', '/events', body)).status).toBe(201);
    });

    it('answers 409 duplicate_event to all but one of concurrent submissions with one idempotency key', async () => {
      const before = await count('op_events');
      const answers = await Promise.all(
        [11, 12, 13, 14, 15].map((ppm) =>
          h.request(
            'POST',
            '/events',
            { event_type: 'gas_leak', data: { severity: 'low', ppm } },
            { 'idempotency-key': 'race-1' },
          ),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const winner = answers.find((a) => a.status === 201)!.body.event_id as string;
      for (const a of answers.filter((x) => x.status === 409))
        expect(a.body).toMatchObject({ code: 'duplicate_event', detail: `Duplicate of event ${winner}` });
      expect(await count('op_events')).toBe(before + 1);
    });

    it('answers 409 to concurrent creations of one event-type key, and keeps one', async () => {
      const answers = await Promise.all(
        [1, 2, 3].map(() => h.request('POST', '/event-types', { key: 'race_type', name: 'Race' })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual([
        'event_type_exists',
        'event_type_exists',
      ]);
    });

    it('patches status and data (re-validated), and correlates an event with another', async () => {
      const a = (
        await h.request('POST', '/events', { event_type: 'gas_leak', data: { severity: 'low', ppm: 1 } })
      ).body;
      const b = (
        await h.request('POST', '/events', { event_type: 'gas_leak', data: { severity: 'low', ppm: 2 } })
      ).body;
      const patched = await h.request('PATCH', `/events/${a.event_id}`, {
        status: 'reviewed',
        data: { severity: 'high' },
      });
      expect(patched.body).toMatchObject({ status: 'reviewed', data: { severity: 'high' } });
      const bad = await h.request('PATCH', `/events/${a.event_id}`, { data: { severity: 'x' } });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'data', 'severity']);
      expect((await h.request('GET', `/events/${a.event_id}`)).body.data).toEqual({ severity: 'high' });
      const linked = await h.request('POST', `/events/${a.event_id}/correlate`, {
        targets: [{ kind: 'event', id: b.event_id }],
        note: 'same leak',
      });
      expect(linked.status).toBe(200);
      expect(linked.body.correlated).toEqual([
        expect.objectContaining({
          kind: 'event',
          id: b.event_id,
          note: 'same leak',
          correlated_at: expect.any(String),
        }),
      ]);
      const unknown = await h.request('POST', `/events/${a.event_id}/correlate`, {
        targets: [
          { kind: 'event', id: b.event_id },
          { kind: 'flare_event', id: 'fe-nope' },
        ],
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.detail[0].loc).toEqual(['body', 'targets', 1, 'id']);
      const self = await h.request('POST', `/events/${a.event_id}/correlate`, {
        targets: [{ kind: 'event', id: a.event_id }],
      });
      expect(self.status).toBe(422);
      expect((await h.request('GET', `/events/${a.event_id}`)).body.correlated).toHaveLength(1);
    });

    it('filters by period and answers 422 on query.to for a period that ends before it starts', async () => {
      const all = (await h.request('GET', '/events?limit=100')).body;
      const at = '2026-06-01T10:00:00.000Z';
      const within = await h.request(
        'GET',
        `/events?from=${encodeURIComponent('2026-06-01T09:00:00-01:00')}&to=${at}`,
      );
      expect(within.body.data.map((e: { occurred_at: string }) => e.occurred_at)).toEqual([at]);
      expect(all.total).toBeGreaterThan(within.body.total);
      for (const path of ['/events', '/flaring/alerts']) {
        const res = await h.request('GET', `${path}?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z`);
        expect(res.status).toBe(422);
        expect(res.body.detail[0].loc).toEqual(['query', 'to']);
      }
    });

    it('accepts a compliance alert as the compliance monitor publishes it, and a retry is a 409', async () => {
      const alert = {
        alert_id: 'alr-1',
        tenant_id: 'tenant-a',
        source: 'compliance-monitor',
        level: 'critical',
        code: 'deadline_overdue',
        rule: 'Form PR',
        entity: { label: 'Well', id: '42501201230000' },
        message: 'Form PR for 2026-04 is overdue',
        data: { due: '2026-05-31' },
        dedupe_key: 'deadline_overdue:Well:42501201230000:2026-04',
        created_at: '2026-06-01T00:00:00.000Z',
      };
      const body = {
        event_type: 'compliance_alert',
        idempotency_key: alert.dedupe_key,
        entity: alert.entity,
        occurred_at: alert.created_at,
        data: alert,
      };
      const operator = await h.headers(['operator']);
      expect((await h.request('POST', '/events', body, operator)).status).toBe(201);
      const again = await h.request('POST', '/events', body, operator);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('duplicate_event');
      const bad = await h.request('POST', '/events', {
        ...body,
        idempotency_key: 'x',
        data: { ...alert, level: 'urgent' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'data', 'level']);
    });

    it('keeps tenants apart', async () => {
      const other = await h.headers(['admin'], 'tenant-b');
      const list = (await (await fetch(`${h.base}/events`, { headers: other })).json()) as { total: number };
      expect(list.total).toBe(0);
      const mine = (await h.request('GET', '/events')).body.data[0];
      expect((await fetch(`${h.base}/events/${mine.event_id}`, { headers: other })).status).toBe(404);
    });
  });

  describe('GET /events/stream', () => {
    it('delivers new events with id:, heartbeats, and replays after Last-Event-ID', async () => {
      const client = await openSseClient(`${h.base}/events/stream`, await h.headers(['viewer']));
      expect(client.status).toBe(200);
      expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const created = await h.request('POST', '/events', {
        event_type: 'gas_leak',
        data: { severity: 'low', ppm: 7 },
      });
      const got = await client.waitFor(
        (e) => (e.data as { event_id?: string }).event_id === created.body.event_id,
      );
      expect(got.event).toBe('gas_leak');
      expect(got.id).toMatch(/^\d+$/);
      expect(got.data).toMatchObject({ event_type: 'gas_leak', data: { severity: 'low', ppm: 7 } });
      await client.waitForPings(1);
      client.close();

      const missed: { event_id: string }[] = [];
      for (const ppm of [8, 9])
        missed.push(
          (await h.request('POST', '/events', { event_type: 'gas_leak', data: { severity: 'low', ppm } }))
            .body,
        );
      const resumed = await openSseClient(`${h.base}/events/stream`, {
        ...(await h.headers(['viewer'])),
        'last-event-id': got.id!,
      });
      await resumed.waitFor((e) => (e.data as { event_id?: string }).event_id === missed[1].event_id);
      expect(resumed.events.map((e) => (e.data as { event_id: string }).event_id)).toEqual(
        missed.map((m) => m.event_id),
      );
      resumed.close();
    });

    it('never sends one tenant’s events to another tenant’s stream', async () => {
      const b = await openSseClient(`${h.base}/events/stream`, await h.headers(['admin'], 'tenant-b'));
      const a = await openSseClient(`${h.base}/events/stream`, await h.headers(['viewer']));
      const created = await h.request('POST', '/events', {
        event_type: 'gas_leak',
        data: { severity: 'high', ppm: 99 },
      });
      await a.waitFor((e) => (e.data as { event_id?: string }).event_id === created.body.event_id);
      await b.waitForPings(2);
      expect(b.events).toEqual([]);
      a.close();
      b.close();
    });

    it('delivers a sweep’s new alert to a connected client once, and lists it under /flaring/alerts', async () => {
      const client = await openSseClient(`${h.base}/events/stream`, await h.headers(['viewer']));
      const sweep = flaringSweep({
        store: h.store,
        identity: {
          tenants: async () => ['tenant-a'],
          caller: async (tenantId) => ({ token: 't', tenantId }),
        },
        alertsOf: async () => [
          {
            level: 'critical',
            code: 'unauthorized_flaring',
            rule: '16 TAC §3.32 (Rule 32)',
            entity: { label: 'Well', id: '42501201230000' },
            message: 'Well 42501201230000 flared without an authorisation',
            data: { volume_mcf: 120 },
            dedupe_key: 'unauthorized_flaring:Well:42501201230000',
          },
        ],
        logger: createLogger({ service: 'sweep', level: 'silent' }),
        now: () => h.clock.now,
      });
      await sweep(new AbortController().signal);
      await sweep(new AbortController().signal);
      const got = await client.waitFor((e) => e.event === 'alert');
      expect(got.data).toMatchObject({
        event_type: 'alert',
        code: 'unauthorized_flaring',
        level: 'critical',
      });
      await client.waitForPings(2);
      expect(client.events.filter((e) => e.event === 'alert')).toHaveLength(1);
      client.close();
      const list = await h.request('GET', '/flaring/alerts?level=critical');
      expect(list.body).toMatchObject({
        total: 1,
        data: [{ code: 'unauthorized_flaring', source: 'flaring-monitor' }],
      });
    });

    it('forgets a client when it disconnects', async () => {
      const clients = await Promise.all(
        [1, 2, 3].map(async () => openSseClient(`${h.base}/events/stream`, await h.headers(['viewer']))),
      );
      expect(h.hub.size()).toBe(3);
      expect(await h.metricsText()).toMatch(/^aegis_event_stream_clients\{[^}]*\} 3$/m);
      for (const c of clients) c.close();
      const deadline = Date.now() + 5000;
      while (h.hub.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(h.hub.size()).toBe(0);
      expect(await h.metricsText()).toMatch(/^aegis_event_stream_clients\{[^}]*\} 0$/m);
    });

    it('treats a Last-Event-ID beyond the log’s end (another database) as now, and delivers new events', async () => {
      const client = await openSseClient(`${h.base}/events/stream`, {
        ...(await h.headers(['viewer'])),
        'last-event-id': '999999999',
      });
      const created = await h.request('POST', '/events', {
        event_type: 'gas_leak',
        data: { severity: 'low', ppm: 42 },
      });
      await client.waitFor((e) => (e.data as { event_id?: string }).event_id === created.body.event_id);
      client.close();
    });

    it('answers 422 for a Last-Event-ID that is not one of its ids', async () => {
      const res = await fetch(`${h.base}/events/stream`, {
        headers: { ...(await h.headers(['viewer'])), 'last-event-id': 'abc' },
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { detail: { loc: unknown }[] }).detail[0].loc).toEqual([
        'header',
        'Last-Event-ID',
      ]);
    });
  });
});
