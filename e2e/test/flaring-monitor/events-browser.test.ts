import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { serviceByName } from '@aegis/common';
import {
  listen,
  startAuthService,
  startGateway,
  startLocalService,
  startedSet,
  tempDir,
  writeGatewayFiles,
  type Listening,
  type RunningService,
} from '@aegis/testing';
import { describeBrowser, launchBrowser } from '../gateway/browser';

/** What the page reports back. */
interface PageRun {
  created: { status: number; eventId?: string };
  received: { type: string; data: string; lastEventId: string };
}

/**
 * The real `GET /api/v1/events/stream` in a browser: a page on another loopback
 * origin logs in through the gateway (the session cookie), opens an `EventSource` with the cookie
 * alone, records an event with `POST /api/v1/events`, and receives it on the stream.
 */
describeBrowser('GET /api/v1/events/stream from a page, in a browser', () => {
  const running = startedSet();
  let dir: string;
  let site: Listening;
  let gateway: RunningService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = tempDir('events-browser');
    site = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>another origin</title><p>AEGIS client</p>');
    });
    const auth = running.started(await startAuthService(dir));
    const flaring = running.started(
      await startLocalService('flaring-monitor', {
        dataDir: dir,
        authUrl: auth.url,
        env: { STREAM_POLL_MS: '50', SWEEP_INTERVAL_MS: '0', SEED_DEMO_DATA: 'false' },
      }),
    );
    const prefixes = (name: string) =>
      serviceByName(name).routes.map((r) => ({ prefix: r.prefix, service: name, timeoutMs: r.timeoutMs }));
    const files = writeGatewayFiles({
      services: { auth: auth.url, 'flaring-monitor': flaring.url },
      routes: [...prefixes('auth'), ...prefixes('flaring-monitor')],
      tenants: [{ name: 'default', spec: { rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } } }],
    });
    gateway = running.started(
      await startGateway({
        files,
        authority: {
          jwksUrl: `${auth.url}/auth/.well-known/jwks.json`,
          revocationsUrl: `${auth.url}/internal/revocations`,
        },
        env: { AUTH_URL: auth.url, CORS_ALLOW_ORIGINS: site.url, REVOCATION_POLL_MS: '200' },
      }),
    );
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await page.goto(site.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running.stopAll();
    await site?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('receives an event recorded with POST /api/v1/events on an EventSource holding only the cookie', async () => {
    const run = await page.evaluate(async (api): Promise<PageRun> => {
      const call = (method: string, path: string, body: unknown) =>
        fetch(`${api}/api/v1/${path}`, {
          method,
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await call('POST', 'auth/token', { email: 'admin@aegis.local', password: 'aegis-dev-admin' });
      const type = (await (
        await call('POST', 'event-types', {
          key: 'gas_leak',
          name: 'Gas leak',
          fields: [{ name: 'severity', type: 'enum', values: ['low', 'high'], required: true }],
        })
      ).json()) as { type_id: string };
      await call('POST', `event-types/${type.type_id}/transition`, { status: 'active' });
      const source = new EventSource(`${api}/api/v1/events/stream`, { withCredentials: true });
      const received = new Promise<PageRun['received']>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no event within 10 s')), 10_000);
        source.addEventListener('gas_leak', (e) => {
          clearTimeout(timer);
          source.close();
          // Page code: no DOM types in this project, so the event's fields are named here.
          const m = e as unknown as { type: string; data: string; lastEventId: string };
          resolve({ type: m.type, data: m.data, lastEventId: m.lastEventId });
        });
        source.onerror = () => {
          clearTimeout(timer);
          source.close();
          reject(new Error('EventSource failed'));
        };
      });
      await new Promise<void>((resolve) => source.addEventListener('open', () => resolve()));
      const created = await call('POST', 'events', { event_type: 'gas_leak', data: { severity: 'high' } });
      const body = (await created.json()) as { event_id?: string };
      return { created: { status: created.status, eventId: body.event_id }, received: await received };
    }, gateway.url);

    expect(run.created).toEqual({ status: 201, eventId: expect.stringMatching(/^evt-/) });
    expect(run.received.type).toBe('gas_leak');
    expect(run.received.lastEventId).toMatch(/^\d+$/);
    expect(JSON.parse(run.received.data)).toMatchObject({
      event_type: 'gas_leak',
      event_id: run.created.eventId,
      data: { severity: 'high' },
    });
  });
});
