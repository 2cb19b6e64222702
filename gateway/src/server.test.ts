import net, { type AddressInfo } from 'node:net';
import pino from 'pino';
import { createTokenVerifier } from '@aegis/common';
import {
  createTestTokenIssuer,
  rawRequest,
  sendRequest,
  startEchoUpstream,
  type EchoUpstream,
  type TestTokenIssuer,
} from '@aegis/testing';
import { createApp } from './app';
import { loadConfig } from './config';
import { ConfigHolder } from './config-source/holder';
import { createGatewayMetrics } from './metrics';
import { createUpstreamProxy } from './proxy/upstream-proxy';
import { createMemoryLimiter } from './ratelimit';
import { createGatewayServer } from './server';

interface Gateway {
  /** Tokens verified so far. */
  verifications: number;
  port: number;
  base: string;
  close(): Promise<void>;
}

const errorShape = (code: string) => ({
  detail: expect.any(String),
  error: expect.any(String),
  code,
  request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
});

/** The gateway's HTTP server and app in process, in front of an echo upstream, with this environment. */
async function startGateway(
  env: Record<string, string>,
  issuer: TestTokenIssuer,
  upstream: EchoUpstream,
): Promise<Gateway> {
  const config = loadConfig(env);
  const logger = pino({ level: 'silent' });
  const holder = new ConfigHolder(logger);
  holder.document(
    {
      routes: [
        { prefix: '/api/v1/events', service: 'flaring-monitor' },
        { prefix: '/api/v1/ingest', service: 'ingestion', maxBodyBytes: 1024 },
        { prefix: '/api/v1/auth', service: 'auth' },
      ],
      services: {
        'flaring-monitor': { url: upstream.url },
        ingestion: { url: upstream.url },
        auth: { url: upstream.url },
      },
      tenants: [{ name: 'default', spec: { rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } } }],
    },
    'test',
  );
  const limiter = createMemoryLimiter();
  const counted = { verifications: 0 };
  const verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl });
  const verify = verifier.verify.bind(verifier);
  verifier.verify = (t) => {
    counted.verifications += 1;
    return verify(t);
  };
  const proxy = createUpstreamProxy({ connectTimeoutMs: 1000, maxSockets: 8 });
  const app = createApp({
    config,
    logger,
    holder,
    verifier,
    limiter,
    upstream: proxy,
    metrics: createGatewayMetrics(),
    draining: () => false,
  });
  const server = createGatewayServer({ handler: app.callback(), config, logger });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    get verifications() {
      return counted.verifications;
    },
    port,
    base: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      proxy.close();
      await limiter.close();
    },
  };
}

const CORS_ANY = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After',
};

describe('gateway HTTP server (in process)', () => {
  let issuer: TestTokenIssuer;
  let upstream: EchoUpstream;
  let gw: Gateway;
  let token: string;

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    upstream = await startEchoUpstream();
    // Room for the unauthenticated requests of every test but the limit's own.
    gw = await startGateway(
      { DEFAULT_REQUESTS_PER_MINUTE: '100000', DEFAULT_BURST: '10000' },
      issuer,
      upstream,
    );
    token = await issuer.sign({});
  });

  afterAll(async () => {
    await gw.close();
    await upstream.close();
    await issuer.close();
  });

  describe('methods', () => {
    const routes = [
      '/health',
      '/ready',
      '/metrics',
      '/api/v1/openapi.json',
      '/api/v1/docs',
      '/api/v1/events/1/echo',
      '/api/v1/auth/me',
    ];
    it.each(routes.flatMap((path) => ['TRACE', 'QUERY'].map((method) => [method, path])))(
      'answers %s %s with a valid token: 405, Allow, the error shape and CORS, never forwarded',
      async (method, path) => {
        const before = upstream.seen.length;
        const res = await sendRequest(gw.port, method, path, { authorization: `Bearer ${token}` });
        expect(res.status).toBe(405);
        expect(res.headers.allow).toMatch(/^GET, HEAD, /);
        expect(JSON.parse(res.body)).toEqual(errorShape('method_not_allowed'));
        expect(res.headers).toMatchObject(CORS_ANY);
        expect(upstream.seen.length).toBe(before);
      },
    );

    it('answers a method the gateway forwards but its own endpoint lacks with 405 and that endpoint’s Allow', async () => {
      const res = await sendRequest(gw.port, 'POST', '/health', { authorization: `Bearer ${token}` });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(JSON.parse(res.body)).toEqual(errorShape('method_not_allowed'));
      expect(res.headers).toMatchObject(CORS_ANY);
    });
  });

  describe('requests Node’s parser refuses', () => {
    it('answers a 17 KB Authorization header with 431 in the error shape, with CORS and a request id', async () => {
      const res = await rawRequest(
        gw.port,
        `GET /api/v1/events/1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(17 * 1024)}\r\n\r\n`,
      );
      expect(res.status).toBe(431);
      const body = JSON.parse(res.body) as { request_id: string };
      expect(body).toEqual(errorShape('headers_too_large'));
      expect(res.headers['x-request-id']).toBe(body.request_id);
      expect(res.headers).toMatchObject({ ...CORS_ANY, connection: 'close' });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });

    it('answers a malformed request line with 400 in the error shape, with CORS', async () => {
      const res = await rawRequest(gw.port, 'GET /a b c\r\nHost: x\r\n\r\n');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual(errorShape('bad_request'));
      expect(res.headers).toMatchObject(CORS_ANY);
    });

    it('answers oversized chunk extensions with 413 in the error shape, with CORS', async () => {
      const res = await rawRequest(
        gw.port,
        `POST /api/v1/events/1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;${'x'.repeat(20 * 1024)}\r\na\r\n0\r\n\r\n`,
      );
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual(errorShape('payload_too_large'));
      expect(res.headers).toMatchObject(CORS_ANY);
    });
  });

  describe('Expect: 100-continue', () => {
    const expecting = (path: string, length: number) =>
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`;

    it('answers a declared length over the route limit with 413 at once, without 100 Continue', async () => {
      const before = upstream.seen.length;
      const res = await rawRequest(gw.port, expecting('/api/v1/ingest/x/echo', 5000), 3000);
      expect(res.raw).not.toMatch(/100 Continue/);
      expect(res.raw.startsWith('HTTP/1.1 413 ')).toBe(true);
      expect(JSON.parse(res.body)).toEqual(errorShape('payload_too_large'));
      expect(res.headers).toMatchObject(CORS_ANY);
      expect(upstream.seen.length).toBe(before);
    });

    it('answers a declared length over the default limit with 413 at once', async () => {
      const res = await rawRequest(gw.port, expecting('/api/v1/events/x/echo', 11 * 1024 * 1024), 3000);
      expect(res.raw.startsWith('HTTP/1.1 413 ')).toBe(true);
    });

    it('answers an unauthenticated one at once with 401, without 100 Continue', async () => {
      const res = await rawRequest(
        gw.port,
        'POST /api/v1/events/x/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n',
        3000,
      );
      expect(res.raw.startsWith('HTTP/1.1 401 ')).toBe(true);
    });

    it('sends 100 Continue for an accepted body and forwards it', async () => {
      const socket = net.connect(gw.port, '127.0.0.1');
      let raw = '';
      socket.on('data', (d: Buffer) => (raw += d.toString()));
      socket.write(expecting('/api/v1/events/x/echo', 7));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no 100 Continue: ${raw}`)), 3000);
        socket.on('data', () => {
          if (raw.includes('100 Continue')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      socket.write('{"a":1}');
      await new Promise<void>((resolve) => {
        const check = () => (raw.includes('"body":"{\\"a\\":1}"') ? resolve() : setTimeout(check, 10));
        check();
      });
      socket.destroy();
      expect(raw.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ')).toBe(true);
    });
  });
});

describe('gateway limits for unauthenticated traffic', () => {
  let issuer: TestTokenIssuer;
  let upstream: EchoUpstream;
  let gw: Gateway;

  beforeAll(async () => {
    issuer = await createTestTokenIssuer();
    upstream = await startEchoUpstream();
    // Addresses come from X-Forwarded-For, which only a trusted proxy may set (TRUSTED_PROXIES).
    gw = await startGateway(
      { DEFAULT_REQUESTS_PER_MINUTE: '60', DEFAULT_BURST: '5', TRUSTED_PROXIES: '127.0.0.1' },
      issuer,
      upstream,
    );
  });

  afterAll(async () => {
    await gw.close();
    await upstream.close();
    await issuer.close();
  });

  const fifteen = async (headers: Record<string, string>, address: string) => {
    const responses = [];
    for (let i = 0; i < 15; i += 1)
      responses.push(
        await fetch(`${gw.base}/api/v1/events/1/echo`, {
          headers: { ...headers, 'x-forwarded-for': address },
        }),
      );
    return responses;
  };

  const expectLimited = async (responses: Response[], firstStatus: number) => {
    const statuses = responses.map((r) => r.status);
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(firstStatus));
    expect(statuses.slice(5)).toEqual(Array(10).fill(429));
    const limited = responses[14];
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('ratelimit-policy')).toBe('"identity";q=5;w=5');
    expect(limited.headers.get('ratelimit')).toMatch(/^"identity";r=0;t=\d+$/);
    expect(limited.headers.get('access-control-allow-origin')).toBe('*');
    expect(await limited.json()).toEqual({
      ...errorShape('rate_limited'),
      error: 'rate limit exceeded — 60 requests/minute',
    });
  };

  it('answers 429 with Retry-After and RateLimit headers to the sixth rapid request without a token', async () => {
    await expectLimited(await fifteen({}, '198.51.100.1'), 401);
  });

  it('answers 429 to rapid requests with forged tokens, and refuses them before verifying once the address is limited', async () => {
    const forged = `Bearer ${(await issuer.sign({})).slice(0, -4)}AAAA`;
    const before = gw.verifications;
    await expectLimited(await fifteen({ authorization: forged }, '198.51.100.2'), 401);
    // Five 401s and the sixth, whose failure emptied the bucket; the other nine were never verified.
    expect(gw.verifications - before).toBe(6);
  });

  it('keeps serving a refused address’s users whose tokens it verified before, not new tokens', async () => {
    const address = '198.51.100.5';
    const call = (headers: Record<string, string>) =>
      fetch(`${gw.base}/api/v1/events/1/echo`, { headers: { ...headers, 'x-forwarded-for': address } });
    const known = `Bearer ${await issuer.sign({})}`;
    expect((await call({ authorization: known })).status).toBe(200);
    for (let i = 0; i < 6; i += 1) await call({});
    expect((await call({})).status).toBe(429);
    expect((await call({ authorization: known })).status).toBe(200);
    // Unverified, a valid token looks like a forged one.
    expect((await call({ authorization: `Bearer ${await issuer.sign({ jti: 'new' })}` })).status).toBe(429);
  });

  it('charges another address separately and never charges a valid token', async () => {
    const valid = `Bearer ${await issuer.sign({})}`;
    const responses = await fifteen({ authorization: valid }, '198.51.100.3');
    expect(responses.map((r) => r.status)).toEqual(Array(15).fill(200));
    expect((await fifteen({}, '198.51.100.4'))[0].status).toBe(401);
  });
});
