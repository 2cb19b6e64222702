import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startIngestionPlatform, type IngestionPlatform } from '../ingestion/platform';
import { describeBrowser, launchBrowser } from './browser';

/**
 * The API reference page in a real headless browser: the gateway serves Swagger UI from its npm
 * package, it renders the merged document of the running platform, requests nothing from anywhere
 * but the gateway, and "try it" works with the session cookie and with a bearer token.
 */
describeBrowser('GET /api/v1/docs in a browser', () => {
  let platform: IngestionPlatform;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startIngestionPlatform();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  beforeEach(async () => {
    foreignRequests.length = 0;
    pageErrors.length = 0;
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
    page = await context.newPage();
    page.on('request', (req) => {
      if (!req.url().startsWith(platform.base) && !req.url().startsWith('data:'))
        foreignRequests.push(req.url());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      // A Content-Security-Policy violation shows as a console error.
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(`${platform.base}/api/v1/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
  });

  afterEach(async () => {
    await page.context().close();
  });

  const operation = (method: string, apiPath: string) =>
    page.locator(`.opblock-${method}:has(.opblock-summary-path[data-path="${apiPath}"])`).first();

  const tryIt = async (method: string, apiPath: string) => {
    const op = operation(method, apiPath);
    await op.locator('.opblock-summary-control').click();
    await op.locator('.try-out__btn').click();
    await op.locator('.execute').click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 10_000 });
    return {
      status: (await status.innerText()).trim(),
      body: await op.locator('.live-responses-table .microlight').first().innerText(),
    };
  };

  it('renders every operation of the merged document from the gateway alone', async () => {
    await expect(page.title()).resolves.toBe('AEGIS API reference');
    await expect(page.locator('.info .title').innerText()).resolves.toContain('AEGIS API');
    const doc = (await (await fetch(`${platform.base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.keys(item).filter((k) =>
        ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(k),
      ),
    );
    expect(operations.length).toBeGreaterThan(30);
    await expect(page.locator('.opblock').count()).resolves.toBe(operations.length);
    await expect(operation('post', '/api/v1/auth/token').isVisible()).resolves.toBe(true);
    await expect(operation('get', '/api/v1/entities/{label}/{entity_id}').isVisible()).resolves.toBe(true);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows parameters, error responses and schemas of an operation', async () => {
    const op = operation('get', '/api/v1/entities/{label}/{entity_id}');
    await op.locator('.opblock-summary-control').click();
    await op.locator('.parameters').waitFor();
    await expect(op.locator('.parameters .parameter__name').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('label'), expect.stringContaining('entity_id')]),
    );
    const statuses = (await op.locator('.responses-table .response-col_status').allInnerTexts()).map((s) =>
      s.trim(),
    );
    expect(statuses).toEqual(expect.arrayContaining(['200', '401', '403', '404', '429']));
    // The shared error schema, once, among the schemas.
    const schemas = await page.locator('.models .json-schema-2020-12__title').allInnerTexts();
    expect(schemas.filter((s) => s.trim() === 'Error')).toHaveLength(1);
    expect(schemas.length).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(os.tmpdir(), 'aegis-docs-page.png'), fullPage: false });
  }, 60_000);

  it('tries an operation with a bearer token entered under Authorize', async () => {
    await page.locator('.auth-wrapper .authorize').click();
    const bearer = page.locator('.modal-ux .auth-container').filter({ hasText: 'bearer' }).first();
    await bearer.locator('input').fill(platform.tokens.admin);
    await bearer.locator('button.authorize').click();
    await page.locator('.modal-ux .btn-done, .modal-ux .close-modal').first().click();
    const { status, body } = await tryIt('get', '/api/v1/auth/me');
    expect(status).toBe('200');
    expect(body).toContain('admin@aegis.local');
  }, 60_000);

  it('tries an operation with the session cookie that logging in set', async () => {
    const { status: refused } = await tryIt('get', '/api/v1/auth/me');
    expect(refused).toBe('401');
    // Log in as a browser does: the answer sets the HttpOnly aegis_token cookie.
    const login = await page.evaluate(async () => {
      const res = await fetch('/api/v1/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@aegis.local', password: 'aegis-dev-admin' }),
      });
      return res.status;
    });
    expect(login).toBe(200);
    // A fresh load (without the deep link to the operation tried above, which would open it).
    await page.goto(`${platform.base}/api/v1/docs`);
    await page.waitForSelector('.opblock');
    const { status, body } = await tryIt('get', '/api/v1/auth/me');
    expect(status).toBe('200');
    expect(body).toContain('admin@aegis.local');
  }, 60_000);
});
