import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createTokenVerifier } from '@aegis/common';
import { createTestTokenIssuer, type TestTokenIssuer } from '@aegis/testing';
import { createApp, type GatewayDeps } from './app';
import { loadConfig } from './config';
import { ConfigHolder } from './config-source/holder';
import { createGatewayMetrics } from './metrics';
import { createGatewayHandler } from './proxied';
import { createUpstreamProxy } from './proxy/upstream-proxy';
import { createMemoryLimiter } from './ratelimit';
import { createGatewayServer } from './server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The proxied path (`createGatewayHandler`) answers every request exactly as the Koa path
 * (`createApp`) does: status, headers, error body, metrics and log lines. Two gateways, one per path,
 * with their own limiter, metrics and log, get the same requests in the same order. */
describe('proxied path: the same answers as the Koa path', () => {
  let issuer: TestTokenIssuer;
  let upstream: http.Server;
  const holder = new ConfigHolder(pino({ level: 'silent' }));
  const gateways: Record<
    'koa' | 'proxied',
    { server: http.Server; port: number; deps: GatewayDeps; log: object[] }
  > = {} as never;
  let upstreamHits = 0;

  const logInto = (lines: object[]) =>
    pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (const line of chunk.toString().split('\n').filter(Boolean))
            lines.push(JSON.parse(line) as object);
          cb();
        },
      }),
    );

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    upstream = http.createServer((req, res) => {
      upstreamHits += 1;
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': 'https://x',
        'set-cookie': ['a=1', 'b=2'],
        vary: 'Accept',
      });
      res.end(
        JSON.stringify({
          url: req.url,
          user: req.headers['x-aegis-user-id'],
          auth: req.headers.authorization,
        }),
      );
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    holder.document(
      {
        routes: [
          { prefix: '/api/v1/graph', service: 'knowledge-graph' },
          { prefix: '/api/v1/ingestion', service: 'ingestion' },
          { prefix: '/api/v1/auth', service: 'auth' },
        ],
        services: {
          'knowledge-graph': { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` },
          ingestion: { url: `http://127.0.0.1:${closedPort}` },
          auth: { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` },
        },
        tenants: [
          { name: 'default', spec: { rateLimit: { requestsPerMinute: 60, burst: 2 } } },
          { name: 'off', spec: { suspended: true } },
        ],
      },
      'test',
    );
    const config = { ...loadConfig({}), corsAllowOrigins: ['https://app.example'] };
    for (const name of ['koa', 'proxied'] as const) {
      const log: object[] = [];
      const deps: GatewayDeps = {
        config,
        logger: logInto(log),
        holder,
        verifier: createTokenVerifier({ jwksUrl: issuer.jwksUrl }),
        limiter: createMemoryLimiter(),
        upstream: createUpstreamProxy({ connectTimeoutMs: 1000, maxSockets: 8 }),
        metrics: createGatewayMetrics(),
        draining: () => false,
      };
      const handler = name === 'koa' ? createApp(deps).callback() : createGatewayHandler(deps);
      const server = createGatewayServer({ handler, config, logger: deps.logger });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      gateways[name] = { server, port: (server.address() as AddressInfo).port, deps, log };
    }
  });

  afterAll(async () => {
    for (const { server, deps } of Object.values(gateways)) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      deps.upstream.close();
      deps.verifier.close();
      await deps.limiter.close();
    }
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    await issuer.close();
  });

  const send = (port: number, method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          const { date: _date, ...rest } = res.headers;
          resolve({ status: res.statusCode ?? 0, headers: rest, body: text });
        });
      });
      req.on('error', reject);
      req.end(body);
    });

  /** Sends the request to both gateways (Koa path first) and expects the same answer. */
  async function both(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> {
    const withId = { 'x-request-id': 'parity-request-0001', ...headers };
    const koa = await send(gateways.koa.port, method, path, withId, body);
    const proxied = await send(gateways.proxied.port, method, path, withId, body);
    expect(proxied).toEqual(koa);
    return proxied;
  }

  const bearer = async (claims: Record<string, unknown> = {}) => ({
    authorization: `Bearer ${await issuer.sign(claims)}`,
  });

  it('forwards a request with the same headers, CORS and rate-limit headers included', async () => {
    const headers = { ...(await bearer({ user_id: 'u1', sub: 'u1' })), origin: 'https://app.example' };
    const answer = await both('GET', '/api/v1/graph/Well/1?depth=2', headers);
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.headers.vary).toBe('Origin, Accept');
    expect(answer.headers['x-request-id']).toBe('parity-request-0001');
    expect(answer.headers['ratelimit-policy']).toBeDefined();
    expect(await both('HEAD', '/api/v1/graph/Well/1', headers)).toMatchObject({ status: 200, body: '' });
  });

  it('passes a cookie token on as a bearer header, and public routes without a token', async () => {
    const token = await issuer.sign({ user_id: 'u2', sub: 'u2' });
    const answer = await both('GET', '/api/v1/graph/c', { cookie: `aegis_token=${token}` });
    expect(JSON.parse(answer.body)).toMatchObject({ auth: `Bearer ${token}` });
    expect(
      (await both('POST', '/api/v1/auth/token', { 'content-type': 'application/json' }, '{}')).status,
    ).toBe(200);
  });

  it.each([
    ['no token', 'GET', '/api/v1/graph/x', {}, 401],
    ['a malformed token', 'GET', '/api/v1/graph/x', { authorization: 'Bearer not-a-jwt' }, 401],
    ['a non-bearer scheme', 'GET', '/api/v1/graph/x', { authorization: 'Basic Zm9vOmJhcg==' }, 401],
    ['an unknown route', 'GET', '/api/v1/nowhere', {}, 404],
    ['an unsafe path', 'GET', '/api/v1/graph/%2e%2e/x', {}, 400],
  ])('answers %s with the same error', async (_name, method, path, headers, status) => {
    const answer = await both(method, path, { ...headers, origin: 'https://evil.example' });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({ request_id: 'parity-request-0001' });
  });

  it('answers tenant refusals, quota refusals and upstream failures with the same errors', async () => {
    expect((await both('GET', '/api/v1/graph/x', await bearer({ tenant_id: 'off' }))).status).toBe(403);
    expect((await both('GET', '/api/v1/graph/x', await bearer({ tenant_id: 'ghost' }))).status).toBe(403);
    expect((await both('GET', '/api/v1/graph/x?tenant_id=other', await bearer())).status).toBe(403);
    const burst = await bearer({ user_id: 'u-burst', sub: 'u-burst' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await both('GET', '/api/v1/graph/x', burst)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const down = await both('POST', '/api/v1/ingestion/x', await bearer({ user_id: 'u3', sub: 'u3' }), '{}');
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
  });

  it('hands preflights, other methods and unusual targets to the Koa path', async () => {
    expect((await both('OPTIONS', '/api/v1/graph/x', { origin: 'https://app.example' })).status).toBe(200);
    expect((await both('TRACE', '/api/v1/graph/x')).status).toBe(405);
    expect((await both('GET', '/health')).status).toBe(200);
    expect((await both('POST', '/health')).status).toBe(405);
  });

  it('counts and logs every request the same way', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const counted = async (name: 'koa' | 'proxied') =>
      (await gateways[name].deps.metrics.registry.metrics())
        .split('\n')
        .filter((l) =>
          /^aegis_gateway_(requests_total|ratelimit_decisions_total|upstream_errors_total)/.test(l),
        )
        .sort();
    expect(await counted('proxied')).toEqual(await counted('koa'));
    const lines = (name: 'koa' | 'proxied') =>
      gateways[name].log.map((line) => {
        const { time: _t, pid: _p, hostname: _h, durationMs, ...rest } = line as Record<string, unknown>;
        return { ...rest, durationMs: typeof durationMs };
      });
    expect(lines('proxied')).toEqual(lines('koa'));
    expect(lines('proxied').length).toBeGreaterThan(10);
    expect(upstreamHits).toBeGreaterThan(0);
  });
});
