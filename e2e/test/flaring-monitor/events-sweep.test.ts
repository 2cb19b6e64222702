import { openSseClient, type SseClient } from '@aegis/testing';
import { startFlaringPlatform, type FlaringPlatform } from './platform';

const SECRET = 'e2e-service-secret';
const WELL = '42329300090000';

/** The flaring sweep as `npm start` runs it: with the service's own identity from
 * auth, every tenant is assessed on a short interval; a well flaring without an authorisation gives
 * one `unauthorized_flaring` alert, recorded and streamed once however many sweeps run, to that
 * tenant only. */
describe('flaring sweep through the gateway', () => {
  let p: FlaringPlatform;
  const open: SseClient[] = [];
  const stream = async (token: string) => {
    const c = await openSseClient(`${p.base}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    p = await startFlaringPlatform({
      authEnv: { SERVICE_CLIENT_SECRET: SECRET },
      flaringEnv: {
        SERVICE_CLIENT_SECRET: SECRET,
        SWEEP_INTERVAL_MS: '300',
        STREAM_POLL_MS: '50',
        SSE_HEARTBEAT_MS: '200',
      },
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of open) c.close();
    await p?.stop();
  }, 60_000);

  it('records and streams an alert for flaring without authorisation once, to its tenant only', async () => {
    const mine = await stream(p.tokens.viewer);
    const theirs = await stream(p.tokens.otherTenant);
    const well = await p.call('POST', 'entities', p.tokens.operator, {
      label: 'Well',
      entity_id: WELL,
      properties: { api_number: WELL, spud_date: '2019-05-01', status: 'producing' },
    });
    expect(well.status).toBe(201);
    const flare = await p.call('POST', 'flare-events', p.tokens.operator, {
      well_id: WELL,
      start_time: '2026-01-10T00:00:00Z',
      end_time: '2026-01-10T12:00:00Z',
      volume_mcf: 40,
      disposition: '10',
      cause: 'compressor down',
    });
    expect(flare.status).toBe(201);
    expect(flare.body.authorization_id).toBeNull();
    const flareEvent = await mine.waitFor((e) => e.event === 'flare_event');
    expect(flareEvent.data).toMatchObject({ event_type: 'flare_event', event_id: flare.body.event_id });

    const alert = await mine.waitFor(
      (e) => e.event === 'alert' && (e.data as { code?: string }).code === 'unauthorized_flaring',
      15_000,
    );
    expect(alert.data).toMatchObject({
      event_type: 'alert',
      source: 'flaring-monitor',
      level: 'critical',
      entity: { label: 'Well', id: WELL },
      alert_id: expect.stringMatching(/^alr-/),
    });
    // Several more sweeps run (every 300 ms): nothing is recorded or streamed again.
    await new Promise((r) => setTimeout(r, 1500));
    const alerts = mine.events.filter((e) => e.event === 'alert');
    expect(new Set(alerts.map((e) => (e.data as { dedupe_key: string }).dedupe_key)).size).toBe(
      alerts.length,
    );
    const listed = await p.call('GET', 'flaring/alerts?code=unauthorized_flaring', p.tokens.viewer);
    expect(listed.body.total).toBe(1);
    expect(listed.body.data[0].alert_id).toBe((alert.data as { alert_id: string }).alert_id);
    expect(theirs.events).toEqual([]);
    expect((await p.call('GET', 'flaring/alerts', p.tokens.otherTenant)).body.total).toBe(0);
  }, 60_000);
});
