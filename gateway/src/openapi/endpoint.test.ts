import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pino from 'pino';
import { ConfigHolder } from '../config-source/holder';
import { openApi, OPENAPI_PATH, REFERENCE_PATH } from './endpoint';
import { undeclaredSecuritySchemes } from './merge';
import { ASSETS_PREFIX } from './reference-page';

/** The three public documentation endpoints, in process, over one fake service. */
const servers: http.Server[] = [];

/** Listens on a free loopback port; the servers close after the suite. */
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('GET /api/v1/openapi.json, /api/v1/docs and /api/v1/docs/assets/*', () => {
  let base: string;

  beforeAll(async () => {
    const serviceUrl = await serve((req, res) => {
      res.writeHead(req.url === '/openapi.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          openapi: '3.1.0',
          components: {
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
          },
          paths: {
            '/graph/{id}': { get: { security: [{ bearer: [] }], responses: { 200: { description: 'ok' } } } },
          },
        }),
      );
    });
    const holder = new ConfigHolder(pino({ level: 'silent' }));
    holder.document(
      {
        routes: [{ prefix: '/api/v1/graph', service: 'knowledge-graph' }],
        services: { 'knowledge-graph': { url: serviceUrl } },
        tenants: [],
      },
      'test',
    );
    const app = new Koa();
    app.use(openApi({ holder, logger: pino({ level: 'silent' }) }));
    app.use((ctx) => {
      ctx.status = 404;
      ctx.body = 'fell through';
    });
    const handler = app.callback();
    base = await serve((req, res) => void handler(req, res));
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('serves the merged document, whose security requirements all name declared schemes', async () => {
    const res = await fetch(`${base}${OPENAPI_PATH}`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(Object.keys((doc.paths as object) ?? {})).toEqual(['/api/v1/graph/{id}']);
    expect(undeclaredSecuritySchemes(doc)).toEqual([]);
  });

  it('serves the reference page: Swagger UI from the gateway itself, under a self-only policy', async () => {
    const res = await fetch(`${base}${REFERENCE_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await res.text();
    expect(html).toContain(`<script src="${ASSETS_PREFIX}swagger-ui-bundle.js"></script>`);
    expect(html).toContain(`<script src="${ASSETS_PREFIX}init.js"></script>`);
    // Nothing from elsewhere, and no inline script.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script>/);
    // Without scripts, the operations are listed.
    expect(html).toContain('<noscript>');
    expect(html).toContain('<td><code>GET</code></td><td><code>/api/v1/graph/{id}</code></td>');
  });

  it.each([
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
    ['swagger-ui.css', 'text/css; charset=utf-8'],
    ['favicon-32x32.png', 'image/png'],
    ['init.js', 'text/javascript; charset=utf-8'],
  ])('serves the asset %s as %s, cacheable and revalidated by ETag', async (name, type) => {
    const res = await fetch(`${base}${ASSETS_PREFIX}${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    // (fetch would add Cache-Control: no-cache to a conditional request, so plain http here.)
    const again = await new Promise<number | undefined>((resolve, reject) =>
      http
        .get(`${base}${ASSETS_PREFIX}${name}`, { headers: { 'if-none-match': etag! } }, (r) => {
          r.resume();
          resolve(r.statusCode);
        })
        .on('error', reject),
    );
    expect(again).toBe(304);
  });

  it('points the viewer at the merged document, sending the session cookie and keeping a bearer token', async () => {
    const script = await (await fetch(`${base}${ASSETS_PREFIX}init.js`)).text();
    expect(script).toContain(`url: "${OPENAPI_PATH}"`);
    expect(script).toContain('withCredentials: true');
    expect(script).toContain('persistAuthorization: true');
  });

  it.each([
    'index.html',
    'package.json',
    'swagger-ui-bundle.js.map',
    '..%2Fpackage.json',
    '../../../../etc/passwd',
    'sub/swagger-ui.css',
    '',
  ])('serves no other file of the package or the disk (%s falls through)', async (name) => {
    const res = await fetch(`${base}${ASSETS_PREFIX}${name}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('fell through');
  });

  it('serves nothing for other methods', async () => {
    const res = await fetch(`${base}${ASSETS_PREFIX}swagger-ui.css`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});
