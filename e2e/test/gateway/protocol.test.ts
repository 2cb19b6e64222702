import {
  rawRequest,
  sendRequest,
  startGatewayTestbed,
  type GatewayTestbed,
  type RunningGateway,
} from '@aegis/testing';

const errorShape = (code: string) => ({
  detail: expect.any(String),
  error: expect.any(String),
  code,
  request_id: expect.any(String),
});

/** The gateway process at the edges of HTTP, as a client that does not play by the rules meets it:
 * methods nothing implements, requests its parser refuses, `Expect: 100-continue`, floods without a
 * valid token, and browsers on other origins. Every answer is in the error shape with CORS headers. */
describe('gateway (process): methods, parser errors, 100-continue, unauthenticated limits, CORS', () => {
  let bed: GatewayTestbed;
  let gw: RunningGateway;
  let listed: RunningGateway;
  let token: string;
  const port = (g: RunningGateway) => Number(new URL(g.url).port);

  beforeAll(async () => {
    bed = await startGatewayTestbed();
    const tenants = [{ name: 'default', spec: { rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } } }];
    gw = await bed.startGateway({
      tenants,
      env: { DEFAULT_REQUESTS_PER_MINUTE: '100000', DEFAULT_BURST: '10000' },
    });
    listed = await bed.startGateway({
      tenants,
      env: {
        CORS_ALLOW_ORIGINS: 'http://app.example,http://other.example',
        DEFAULT_REQUESTS_PER_MINUTE: '60',
        DEFAULT_BURST: '5',
      },
    });
    token = await bed.token();
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it.each([
    ['TRACE', '/health'],
    ['QUERY', '/api/v1/openapi.json'],
    ['TRACE', '/api/v1/events/1/echo'],
    ['QUERY', '/api/v1/events/1/echo'],
  ])('answers %s %s with a valid token: 405, Allow, the error shape and CORS', async (method, path) => {
    const before = bed.upstream.seen.length;
    const res = await sendRequest(port(gw), method, path, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toMatch(/^GET, HEAD/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(res.body)).toEqual(errorShape('method_not_allowed'));
    expect(bed.upstream.seen.length).toBe(before);
  });

  it('answers a 17 KB Authorization header with 431 in the error shape, with CORS and X-Request-Id', async () => {
    const res = await rawRequest(
      port(gw),
      `GET /api/v1/events/1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    const body = JSON.parse(res.body) as { request_id: string };
    expect(body).toEqual(errorShape('headers_too_large'));
    expect(res.headers['x-request-id']).toBe(body.request_id);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers a malformed request line with 400 in the error shape, with CORS', async () => {
    const res = await rawRequest(port(gw), 'GET /a b c\r\nHost: x\r\n\r\n');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual(errorShape('bad_request'));
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers Expect: 100-continue with a declared length over the limit with 413 at once', async () => {
    const before = bed.upstream.seen.length;
    const res = await rawRequest(
      port(gw),
      `POST /api/v1/events/1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${11 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
      3000,
    );
    expect(res.raw.startsWith('HTTP/1.1 413 ')).toBe(true);
    expect(JSON.parse(res.body)).toEqual(errorShape('payload_too_large'));
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(bed.upstream.seen.length).toBe(before);
  });

  describe('with a list of CORS origins', () => {
    it('echoes a listed origin with credentials and Vary: Origin, and exposes the gateway headers', async () => {
      const res = await fetch(`${listed.url}/api/v1/events/1/echo`, {
        headers: { origin: 'http://app.example', authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('vary')).toMatch(/^Origin\b/);
      expect(res.headers.get('access-control-expose-headers')).toBe(
        'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After',
      );
    });

    it('gives an unlisted origin no Access-Control-Allow-Origin', async () => {
      const res = await fetch(`${listed.url}/api/v1/events/1/echo`, {
        headers: { origin: 'http://evil.example', authorization: `Bearer ${token}` },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')).toMatch(/^Origin\b/);
    });

    it('allows X-Request-Id and Last-Event-ID in a preflight', async () => {
      const res = await fetch(`${listed.url}/api/v1/events/1/sse`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://other.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'x-request-id,last-event-id',
        },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://other.example');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'Content-Type, Authorization, X-Request-Id, Last-Event-ID',
      );
    });

    it('limits fifteen rapid requests without a token: 401 for the burst, then 429 with Retry-After and RateLimit', async () => {
      const responses: Response[] = [];
      for (let i = 0; i < 15; i += 1)
        responses.push(
          await fetch(`${listed.url}/api/v1/events/1/echo`, { headers: { origin: 'http://app.example' } }),
        );
      const statuses = responses.map((r) => r.status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
      const limited = responses[14];
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get('ratelimit-policy')).toBe('"identity";q=5;w=5');
      expect(limited.headers.get('ratelimit')).toMatch(/^"identity";r=0;t=\d+$/);
      expect(limited.headers.get('access-control-allow-origin')).toBe('http://app.example');
      expect(await limited.json()).toEqual(errorShape('rate_limited'));
    });
  });
});
