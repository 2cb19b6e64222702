import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import {
  listen,
  startAuthService,
  startEchoUpstream,
  startService,
  tempDir,
  writeGatewayFiles,
  type EchoUpstream,
  type Listening,
  type RunningService,
} from '@aegis/testing';
import { describeBrowser, launchBrowser } from './browser';

/** What the page reports back from the browser. */
interface PageRun {
  login: { status: number; requestId: string | null; cookieVisible: boolean };
  me: { status: number; email?: string; requestId: string | null; rateLimitPolicy: string | null };
  anonymous: { status: number; code?: string; requestId: string | null };
  event: { type: string; data: string; lastEventId: string };
}

/**
 * A browser client on another origin, as CORS_ALLOW_ORIGINS lets it: a page served from another
 * loopback port logs in through the gateway (the auth service sets the session cookie), calls
 * `/auth/me` with the cookie and reads the response's `X-Request-Id` and rate-limit headers, and opens
 * an `EventSource` with only the cookie on an event stream the gateway forwards. Both origins are on
 * 127.0.0.1, so they are the same site and the cookie's `SameSite=Lax` lets it through; pages on
 * another site need `COOKIE_SAME_SITE=None` with `COOKIE_SECURE=true` (README, Browser clients).
 */
describeBrowser('the gateway from a page on another origin, in a browser', () => {
  let dir: string;
  let auth: RunningService;
  let upstream: EchoUpstream;
  let gateway: RunningService;
  let site: Listening;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = tempDir('browser-cors');
    site = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>another origin</title><p>AEGIS client</p>');
    });
    auth = await startAuthService(dir);
    upstream = await startEchoUpstream();
    const files = writeGatewayFiles({
      services: { auth: auth.url, 'flaring-monitor': upstream.url },
      routes: [
        { prefix: '/api/v1/auth', service: 'auth' },
        { prefix: '/api/v1/events', service: 'flaring-monitor' },
      ],
      tenants: [{ name: 'default', spec: { rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } } }],
    });
    gateway = await startService({
      name: 'gateway',
      dir: 'gateway',
      env: {
        AUTH_URL: auth.url,
        ROUTES_FILE: files.routesFile,
        TENANTS_FILE: files.tenantsFile,
        REVOCATION_POLL_MS: '200',
        CORS_ALLOW_ORIGINS: site.url,
      },
    });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await page.goto(site.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await auth?.stop();
    await upstream?.close();
    await site?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the cookie, calls /auth/me, reads X-Request-Id and receives an event stream with the cookie alone', async () => {
    const run = await page.evaluate(async (api): Promise<PageRun> => {
      const login = await fetch(`${api}/api/v1/auth/token`, {
        method: 'POST',
        credentials: 'include',
        // A JSON body and X-Request-Id both need the preflight to allow them.
        headers: { 'content-type': 'application/json', 'x-request-id': 'browser-login-0001' },
        body: JSON.stringify({ email: 'admin@aegis.local', password: 'aegis-dev-admin' }),
      });
      const me = await fetch(`${api}/api/v1/auth/me`, { credentials: 'include' });
      const anonymous = await fetch(`${api}/api/v1/auth/me`, { credentials: 'omit' });
      const event = await new Promise<PageRun['event']>((resolve, reject) => {
        const source = new EventSource(`${api}/api/v1/events/1/sse`, { withCredentials: true });
        const timer = setTimeout(() => reject(new Error('no event within 10 s')), 10_000);
        source.addEventListener('token', (e) => {
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
      return {
        login: {
          status: login.status,
          requestId: login.headers.get('x-request-id'),
          cookieVisible: (globalThis as unknown as { document: { cookie: string } }).document.cookie.includes(
            'aegis_token',
          ),
        },
        me: {
          status: me.status,
          email: ((await me.json()) as { email?: string }).email,
          requestId: me.headers.get('x-request-id'),
          rateLimitPolicy: me.headers.get('ratelimit-policy'),
        },
        anonymous: {
          status: anonymous.status,
          code: ((await anonymous.json()) as { code?: string }).code,
          requestId: anonymous.headers.get('x-request-id'),
        },
        event,
      };
    }, gateway.url);

    expect(run.login).toEqual({ status: 200, requestId: 'browser-login-0001', cookieVisible: false });
    expect(run.me).toEqual({
      status: 200,
      email: 'admin@aegis.local',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      rateLimitPolicy: expect.stringContaining('"identity"'),
    });
    // Without the cookie the same call is refused, and the error is readable too.
    expect(run.anonymous).toEqual({ status: 401, code: 'missing_token', requestId: expect.any(String) });
    expect(run.event).toEqual({
      type: 'token',
      data: '{"event_type":"token","content":"hello"}',
      lastEventId: '1',
    });
    // The stream's request carried no Authorization of its own: the gateway passed the cookie's token on.
    const stream = upstream.seen.filter((r) => r.url === '/events/1/sse');
    expect(stream).toHaveLength(1);
    expect(stream[0].headers.authorization).toMatch(/^Bearer ey/);
  });
});
