import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createTokenVerifier } from '@aegis/common';
import { createTestTokenIssuer, type TestTokenIssuer } from '@aegis/testing';
import { createApp, readiness } from './app';
import { loadConfig } from './config';
import { ConfigHolder } from './config-source/holder';
import { createGatewayMetrics } from './metrics';
import { createUpstreamProxy } from './proxy/upstream-proxy';
import { createMemoryLimiter, type RateLimiter } from './ratelimit';

/** The middleware chain in process: CORS, authentication, tenant checks, limits and readiness. */
describe('gateway app (in process)', () => {
  let issuer: TestTokenIssuer;
  let upstream: http.Server;
  let gateway: http.Server;
  let base: string;
  let draining = false;
  const holder = new ConfigHolder(pino({ level: 'silent' }));
  const limiter = createMemoryLimiter();

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    upstream = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': 'https://x' });
      res.end(JSON.stringify({ url: req.url, user: req.headers['x-aegis-user-id'] }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    holder.document(
      {
        routes: [{ prefix: '/api/v1/graph', service: 'knowledge-graph' }],
        services: { 'knowledge-graph': { url: upstreamUrl } },
        tenants: [
          { name: 'default', spec: { rateLimit: { requestsPerMinute: 60, burst: 2 } } },
          { name: 'off', spec: { suspended: true } },
        ],
      },
      'test',
    );
    const config = loadConfig({});
    const app = createApp({
      config,
      logger: pino({ level: 'silent' }),
      holder,
      verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
      limiter,
      upstream: createUpstreamProxy({ connectTimeoutMs: 1000, maxSockets: 8 }),
      metrics: createGatewayMetrics(),
      draining: () => draining,
    });
    const handler = app.callback();
    gateway = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    gateway.closeAllConnections();
    upstream.closeAllConnections();
    await new Promise((r) => gateway.close(r));
    await new Promise((r) => upstream.close(r));
    await issuer.close();
    await limiter.close();
  });

  const call = async (path: string, claims: Record<string, unknown> = {}) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await issuer.sign(claims)}` } });

  it('forwards an authenticated request with the verified identity and the gateway CORS headers', async () => {
    const res = await call('/api/v1/graph/Well/1?depth=2', { user_id: 'u1', sub: 'u1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ url: '/graph/Well/1?depth=2', user: 'u1' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 403 tenant_suspended before consuming any quota', async () => {
    const res = await call('/api/v1/graph/x', { tenant_id: 'off' });
    expect(res.status).toBe(403);
    expect(res.headers.get('ratelimit')).toBeNull();
  });

  it('answers 429 with Retry-After once the identity burst is spent', async () => {
    const claims = { user_id: 'u-burst', sub: 'u-burst' };
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call('/api/v1/graph/x', claims)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await call('/api/v1/graph/x', claims);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('labels metrics with the matched route prefix and upstream, and unknown paths as unmatched', async () => {
    expect((await call('/api/v1/graph/Well/1')).status).toBe(200);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(
      /aegis_gateway_requests_total\{route="\/api\/v1\/graph",upstream="knowledge-graph",status="200"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/aegis_gateway_requests_total\{route="unmatched",upstream="gateway",status="404"/);
    expect(text).toMatch(
      /aegis_gateway_request_duration_seconds_count\{[^}]*route="\/api\/v1\/graph",upstream="knowledge-graph"/,
    );
  });

  it('labels metrics with a bounded tenant: a configured id, other for unknown tenants, anonymous without a token', async () => {
    expect((await call('/api/v1/graph/t1', { user_id: 'u-t1', sub: 'u-t1' })).status).toBe(200);
    expect((await call('/api/v1/graph/t2', { tenant_id: 'made-up-42' })).status).toBe(403);
    expect((await fetch(`${base}/api/v1/graph/t3`)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const text = await (await fetch(`${base}/metrics`)).text();
    const tenants = new Set(
      [...text.matchAll(/aegis_gateway_requests_total\{[^}]*tenant="([^"]*)"/g)].map((m) => m[1]),
    );
    expect(tenants).toContain('default');
    expect(tenants).toContain('other');
    expect(tenants).toContain('anonymous');
    expect(tenants).not.toContain('made-up-42');
    expect(text).toMatch(
      /aegis_gateway_request_duration_seconds_count\{[^}]*route="\/api\/v1\/graph"[^}]*tenant="default"/,
    );
  });

  it('reports readiness from the configuration, the limiter and draining', async () => {
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({
      status: 'ready',
      service: 'api-gateway',
      config_hash: holder.current()?.hash,
    });
    expect(readiness({ holder, limiter, draining: () => false })).toEqual({ ok: true });
    expect(
      readiness({ holder: new ConfigHolder(pino({ level: 'silent' })), limiter, draining: () => false }).ok,
    ).toBe(false);
    const down: RateLimiter = { ...limiter, status: () => 'degraded' };
    expect(readiness({ holder, limiter: down, draining: () => false }).ok).toBe(true);
    draining = true;
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ detail: 'draining', code: 'not_ready' });
    draining = false;
  });
});
