import { openSseClient, type SseClient } from '@aegis/testing';
import { startFlaringPlatform, type FlaringPlatform } from './platform';

/** Operational events and `GET /events/stream` through the gateway, with the session cookie alone
 *: delivery within a second, resume with Last-Event-ID, no leak between
 * tenants, and bad input refused with nothing stored or streamed. */
describe('flaring-monitor events and their stream through the gateway', () => {
  let p: FlaringPlatform;
  const open: SseClient[] = [];
  const stream = async (token: string, headers: Record<string, string> = {}) => {
    const c = await openSseClient(`${p.base}/api/v1/events/stream`, {
      cookie: `aegis_token=${token}`,
      ...headers,
    });
    open.push(c);
    return c;
  };
  const post = (token: string, ppm: number, extra: Record<string, unknown> = {}) =>
    p.call('POST', 'events', token, { event_type: 'gas_leak', data: { severity: 'low', ppm }, ...extra });
  const idOf = (e: { data: unknown }) => (e.data as { event_id?: string }).event_id;

  beforeAll(async () => {
    p = await startFlaringPlatform({ flaringEnv: { STREAM_POLL_MS: '50', SSE_HEARTBEAT_MS: '200' } });
    for (const token of [p.tokens.admin, p.tokens.otherTenant]) {
      // The acme operator is not an admin: acme's type is created by the platform admin naming the tenant.
      const tenant = token === p.tokens.admin ? '' : '?tenant_id=acme';
      const t = await p.call('POST', `event-types${tenant}`, p.tokens.admin, {
        key: 'gas_leak',
        name: 'Gas leak',
        fields: [
          { name: 'severity', type: 'enum', values: ['low', 'high'], required: true },
          { name: 'ppm', type: 'number', min: 0 },
        ],
      });
      expect(t.status).toBe(201);
      const active = await p.call(
        'POST',
        `event-types/${t.body.type_id}/transition${tenant}`,
        p.tokens.admin,
        {
          status: 'active',
        },
      );
      expect(active.status).toBe(200);
    }
  }, 180_000);

  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });

  afterAll(async () => {
    await p?.stop();
  }, 60_000);

  it('delivers an event created with POST /events to a client holding only the aegis_token cookie within a second', async () => {
    const client = await stream(p.tokens.viewer);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const postedAt = Date.now();
    const created = await post(p.tokens.operator, 1);
    expect(created.status).toBe(201);
    const got = await client.waitFor((e) => idOf(e) === created.body.event_id, 5000);
    expect(got.at - postedAt).toBeLessThan(1000);
    expect(got).toMatchObject({ event: 'gas_leak', id: expect.stringMatching(/^\d+$/) });
    expect(got.data).toMatchObject({ event_type: 'gas_leak', data: { severity: 'low', ppm: 1 } });
    await client.waitForPings(1);
  });

  it('resumes with Last-Event-ID and receives exactly the events it missed', async () => {
    const first = await stream(p.tokens.viewer);
    const seen = await post(p.tokens.operator, 2);
    const last = await first.waitFor((e) => idOf(e) === seen.body.event_id);
    first.close();
    const missed = [
      (await post(p.tokens.operator, 3)).body.event_id,
      (await post(p.tokens.operator, 4)).body.event_id,
    ];
    const resumed = await stream(p.tokens.viewer, { 'last-event-id': last.id! });
    await resumed.waitFor((e) => idOf(e) === missed[1]);
    const after = await post(p.tokens.operator, 5);
    await resumed.waitFor((e) => idOf(e) === after.body.event_id);
    expect(resumed.events.map(idOf)).toEqual([...missed, after.body.event_id]);
  });

  it('never sends tenant A’s events to tenant B’s stream', async () => {
    const b = await stream(p.tokens.otherTenant);
    const a = await stream(p.tokens.viewer);
    const mine = await post(p.tokens.operator, 6);
    const theirs = await post(p.tokens.otherTenant, 7);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    await a.waitFor((e) => idOf(e) === mine.body.event_id);
    await b.waitFor((e) => idOf(e) === theirs.body.event_id);
    await b.waitForPings(2);
    expect(b.events.map(idOf)).toEqual([theirs.body.event_id]);
    expect(a.events.map(idOf)).toEqual([mine.body.event_id]);
  });

  it('answers 422 naming the field for bad data, and stores and streams nothing', async () => {
    const client = await stream(p.tokens.viewer);
    const before = (await p.call('GET', 'events?limit=1', p.tokens.viewer)).body.total;
    const bad = await p.call('POST', 'events', p.tokens.operator, {
      event_type: 'gas_leak',
      data: { severity: 'low', ppm: -3 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
    expect(bad.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'data', 'ppm'], type: 'range' }),
    ]);
    const unknown = await p.call('POST', 'events', p.tokens.operator, {
      event_type: 'no_such_type',
      data: {},
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail[0].loc).toEqual(['body', 'event_type']);
    await client.waitForPings(2);
    expect(client.events).toEqual([]);
    expect((await p.call('GET', 'events?limit=1', p.tokens.viewer)).body.total).toBe(before);
  });

  it('answers 409 duplicate_event naming the first event for a repeated idempotency key, and streams it once', async () => {
    const client = await stream(p.tokens.viewer);
    const first = await post(p.tokens.operator, 8, { idempotency_key: 'scada-123' });
    const again = await post(p.tokens.operator, 9, { idempotency_key: 'scada-123' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate_event', request_id: expect.any(String) });
    expect(again.body.detail).toContain(first.body.event_id);
    await client.waitFor((e) => idOf(e) === first.body.event_id);
    await client.waitForPings(2);
    expect(client.events.map(idOf)).toEqual([first.body.event_id]);
  });

  it('refuses the stream without a token', async () => {
    const res = await fetch(`${p.base}/api/v1/events/stream`);
    expect(res.status).toBe(401);
  });
});
