import http from 'node:http';
import { SignJWT, base64url } from 'jose';
import { startGatewayTestbed, waitFor, type GatewayTestbed, type RunningGateway } from '@aegis/testing';

/** The gateway as a real process in front of a test upstream: proxying, header hygiene, CORS,
 * streaming, limits, JWT verification and tenant checks. */
describe('gateway (process) in front of a test upstream', () => {
  let bed: GatewayTestbed;
  let gw: RunningGateway;

  const CORS = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': 'Content-Type, Authorization, X-Request-Id, Last-Event-ID',
    'access-control-expose-headers': 'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After',
    'access-control-max-age': '86400',
  };
  const expectCors = (res: Response) => {
    for (const [k, v] of Object.entries(CORS)) expect(res.headers.get(k)).toBe(v);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  };

  beforeAll(async () => {
    bed = await startGatewayTestbed();
    const upstream = bed.upstream;
    gw = await bed.startGateway({
      services: {
        'flaring-monitor': upstream.url,
        ingestion: upstream.url,
        orchestration: upstream.url,
        auth: upstream.url,
        'knowledge-graph': bed.downUrl,
      },
      routes: [
        { prefix: '/api/v1/events', service: 'flaring-monitor' },
        { prefix: '/api/v1/ingest', service: 'ingestion', maxBodyBytes: 256 * 1024 },
        { prefix: '/api/v1/execute', service: 'orchestration', timeoutMs: 1000 },
        { prefix: '/api/v1/graph', service: 'knowledge-graph' },
        { prefix: '/api/v1/auth', service: 'auth' },
      ],
      tenants: [
        { name: 'default', spec: { rateLimit: { requestsPerMinute: 100000, burst: 10000 } } },
        { name: 'acme', spec: { rateLimit: { requestsPerMinute: 100, burst: 10 } } },
        { name: 'frozen', spec: { suspended: true } },
        {
          name: 'narrow',
          spec: { services: ['auth'], rateLimit: { requestsPerMinute: 100000, burst: 10000 } },
        },
      ],
      // Room for this suite's unauthenticated requests (limited per client address, all from loopback).
      env: { UPSTREAM_TIMEOUT_MS: '5000', DEFAULT_REQUESTS_PER_MINUTE: '100000', DEFAULT_BURST: '10000' },
    });
  });

  afterAll(async () => {
    await bed?.stop();
  });

  const token = (claims: Record<string, unknown> = {}) => bed.authority.sign(claims);
  const get = async (path: string, init: RequestInit = {}, claims: Record<string, unknown> = {}) =>
    fetch(`${gw.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${await token(claims)}`,
        ...(init.headers as Record<string, string>),
      },
    });

  describe('routing', () => {
    it('strips /api/v1 and forwards the rest of the path and the query unchanged', async () => {
      const res = await get('/api/v1/events/abc/echo?x=1&y=%20z');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { url: string };
      expect(body.url).toBe('/events/abc/echo?x=1&y=%20z');
    });

    it('answers 404 JSON with CORS for an unknown path, and never calls an upstream', async () => {
      const before = bed.upstream.seen.length;
      const res = await get('/api/v1/eventsX/echo');
      expect(res.status).toBe(404);
      expectCors(res);
      expect(await res.json()).toMatchObject({ code: 'route_not_found', request_id: expect.any(String) });
      expect(bed.upstream.seen.length).toBe(before);
    });

    it('refuses dot segments with 400', async () => {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const { hostname, port } = new URL(gw.url);
        // A raw path: URL parsing would resolve the dot segments before sending.
        const req = http.request(
          { hostname, port, path: '/api/v1/events/../graph/x', agent: false },
          resolve,
        );
        req.on('error', reject);
        req.end();
      });
      res.resume();
      expect(res.statusCode).toBe(400);
    });
  });

  describe('CORS', () => {
    it('answers a preflight itself with 200 and the exact headers', async () => {
      const before = bed.upstream.seen.length;
      const res = await fetch(`${gw.url}/api/v1/events/echo`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBe(200);
      expectCors(res);
      expect(bed.upstream.seen.length).toBe(before);
    });

    it('replaces backend CORS headers on proxied responses, SSE included', async () => {
      const res = await get('/api/v1/events/echo');
      expect(res.status).toBe(200);
      expectCors(res);
    });

    it('puts CORS headers on error responses', async () => {
      const res = await fetch(`${gw.url}/api/v1/events/echo`);
      expect(res.status).toBe(401);
      expectCors(res);
    });
  });

  describe('header hygiene', () => {
    it('never lets spoofed identity headers reach the upstream and sets the verified ones', async () => {
      const res = await get(
        '/api/v1/events/echo',
        {
          headers: {
            'x-aegis-user-id': 'spoofed',
            'x-aegis-tenant-id': 'spoofed',
            'x-aegis-roles': 'admin',
            'x-aegis-whatever': 'spoofed',
            'x-user-id': 'spoofed',
            'x-tenant-id': 'spoofed',
            'x-roles': 'admin',
            'x-forwarded-for': '6.6.6.6',
            'x-real-ip': '6.6.6.6',
          },
        },
        { user_id: 'u-42', sub: 'u-42', tenant_id: 'default', roles: ['operator'] },
      );
      const { headers } = (await res.json()) as { headers: Record<string, string> };
      expect(headers['x-aegis-user-id']).toBe('u-42');
      expect(headers['x-aegis-tenant-id']).toBe('default');
      expect(headers['x-aegis-roles']).toBe('operator');
      expect(headers['x-aegis-whatever']).toBeUndefined();
      expect(headers['x-user-id']).toBeUndefined();
      expect(headers['x-tenant-id']).toBeUndefined();
      expect(headers['x-roles']).toBeUndefined();
      expect(headers['x-real-ip']).toBeUndefined();
      expect(headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(headers['x-request-id']).toBe(res.headers.get('x-request-id'));
    });

    it('does not let `Connection: close, X-Request-Id` strip gateway headers', async () => {
      const bearer = await token({ user_id: 'u-7', sub: 'u-7' });
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request(
          `${gw.url}/api/v1/events/echo`,
          {
            agent: false,
            headers: {
              authorization: `Bearer ${bearer}`,
              connection: 'close, X-Request-Id, X-Aegis-User-Id, X-Custom',
              'x-custom': 'hop',
              'x-request-id': 'client-chosen-request-id',
            },
          },
          (res) => {
            let data = '';
            res.on('data', (d: Buffer) => (data += d.toString()));
            res.on('end', () => resolve(data));
          },
        );
        req.on('error', reject);
        req.end();
      });
      const { headers } = JSON.parse(body) as { headers: Record<string, string> };
      expect(headers['x-request-id']).toEqual(expect.any(String));
      expect(headers['x-aegis-user-id']).toBe('u-7');
      expect(headers['x-custom']).toBeUndefined();
      expect(headers.connection).not.toMatch(/x-request-id/i);
    });

    it('passes the cookie token on as a bearer header', async () => {
      const t = await token({ user_id: 'u-c', sub: 'u-c' });
      const res = await fetch(`${gw.url}/api/v1/events/echo`, {
        headers: { cookie: `other=1; aegis_token=${t}` },
      });
      expect(res.status).toBe(200);
      const { headers } = (await res.json()) as { headers: Record<string, string> };
      expect(headers.authorization).toBe(`Bearer ${t}`);
      expect(headers['x-aegis-user-id']).toBe('u-c');
    });
  });

  describe('upstream failures', () => {
    it('answers 503 service_unavailable for a service that is not running', async () => {
      const res = await get('/api/v1/graph/Well/1');
      expect(res.status).toBe(503);
      expectCors(res);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        code: 'service_unavailable',
        error: expect.any(String),
        detail: expect.any(String),
      });
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    });

    it('answers 502 when the upstream resets the connection', async () => {
      const res = await get('/api/v1/events/reset');
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ code: 'bad_gateway' });
    });

    it('answers 504 when the upstream does not answer within the route timeout', async () => {
      const res = await get('/api/v1/execute/hang');
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({ code: 'gateway_timeout' });
    });
  });

  describe('streaming', () => {
    it('delivers the first SSE event before the upstream ends the stream', async () => {
      const res = await get('/api/v1/events/sse', { headers: { accept: 'text/event-stream' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expectCors(res);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('event: token')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended before the first event');
        text += Buffer.from(value).toString();
      }
      // The upstream still holds the stream open: the event arrived unbuffered, heartbeat untouched.
      expect(text).toContain(': ping');
      bed.upstream.releaseStreams();
      while (!text.includes('event: done')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
      }
      expect(text).toContain('event: done');
    });

    it('refuses a declared body over the limit with 413 without contacting the upstream', async () => {
      const before = bed.upstream.seen.length;
      const bearer = await token();
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(`${gw.url}/api/v1/ingest/upload`, {
          method: 'POST',
          agent: false,
          headers: {
            authorization: `Bearer ${bearer}`,
            'content-type': 'multipart/form-data; boundary=x',
            'content-length': String(10 * 1024 * 1024),
          },
        });
        req.on('response', (response) => {
          resolve(response);
          response.on('end', () => req.destroy());
        });
        req.on('error', reject);
        req.write('--x\r\n');
      });
      res.resume();
      expect(res.headers.connection).toBe('close');
      expect(res.statusCode).toBe(413);
      expect(bed.upstream.seen.length).toBe(before);
    });

    it('streams a multipart upload and cuts it with 413 once the counted bytes pass the limit', async () => {
      bed.upstream.uploadBytes = 0;
      const uploads = () => bed.upstream.seen.filter((r) => r.url.split('?')[0].endsWith('/upload')).length;
      const uploadsBefore = uploads();
      const bearer = await token();
      const chunk = Buffer.alloc(16 * 1024, 97);
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${gw.url}/api/v1/ingest/upload`, {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'multipart/form-data; boundary=x' },
        });
        let sent = 0;
        let stop = false;
        req.on('response', (res) => {
          stop = true;
          let data = '';
          res.on('data', (d: Buffer) => (data += d.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: data });
            req.destroy();
          });
        });
        req.on('error', (err) => (stop ? undefined : reject(err)));
        const pump = () => {
          // Up to 4 MiB, far over the 256 KiB route limit; the gateway must answer long before.
          while (!stop && sent < 4 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
          if (!stop) req.end();
        };
        pump();
      });
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ code: 'payload_too_large' });
      // The 413 can arrive before the upstream, which runs in this process, has read what reached it:
      // wait until it has seen the upload and that request has ended (cut by the gateway).
      await waitFor('the upstream to see the cut upload end', async () =>
        uploads() > uploadsBefore && bed.upstream.uploadsOpen === 0 ? true : undefined,
      );
      // The upstream saw the stream as it came (not a buffered whole), and never more than the limit.
      expect(bed.upstream.uploadBytes).toBeGreaterThan(0);
      expect(bed.upstream.uploadBytes).toBeLessThanOrEqual(256 * 1024);
    });
  });

  describe('authentication', () => {
    const expectRejected = async (headers: Record<string, string>, detail: string) => {
      const before = bed.upstream.seen.length;
      const res = await fetch(`${gw.url}/api/v1/events/echo`, { headers });
      expect(res.status).toBe(401);
      expectCors(res);
      expect(await res.json()).toMatchObject({ detail });
      expect(bed.upstream.seen.length).toBe(before);
    };
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const now = () => Math.floor(Date.now() / 1000);

    it('no token', () => expectRejected({}, 'Authorization header required'));
    it('garbage', () => expectRejected(bearer('not-a-jwt'), 'Invalid token'));
    it('a non-bearer scheme', () => expectRejected({ authorization: 'Basic Zm9vOmJhcg==' }, 'Invalid token'));
    it('alg none', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const payload = base64url.encode(
        JSON.stringify({
          sub: 'u',
          user_id: 'u',
          iss: 'aegis-auth',
          aud: 'aegis-api',
          exp: now() + 60,
          iat: now(),
          jti: 'j',
        }),
      );
      await expectRejected(bearer(`${header}.${payload}.`), 'Invalid token');
    });
    it('HS256 signed with the public key', async () => {
      const secret = new TextEncoder().encode(JSON.stringify(bed.authority.publicJwk));
      const t = await new SignJWT({
        user_id: 'u',
        roles: ['admin'],
        tenant_id: 'default',
        email: 'e',
        display_name: null,
      })
        .setProtectedHeader({ alg: 'HS256', kid: bed.authority.kid })
        .setSubject('u')
        .setIssuer('aegis-auth')
        .setAudience('aegis-api')
        .setIssuedAt()
        .setJti('j1')
        .setExpirationTime('1h')
        .sign(secret);
      await expectRejected(bearer(t), 'Invalid token');
    });
    it('expired', async () =>
      expectRejected(bearer(await token({ exp: now() - 120, iat: now() - 3600 })), 'Token has expired'));
    it('nbf in the future', async () =>
      expectRejected(bearer(await token({ nbf: now() + 600 })), 'Invalid token'));
    it('wrong iss', async () =>
      expectRejected(bearer(await token({ iss: 'someone-else' })), 'Invalid token'));
    it('wrong aud', async () => expectRejected(bearer(await token({ aud: 'another-api' })), 'Invalid token'));
    it('unknown kid', async () =>
      expectRejected(bearer(await bed.authority.signWithUnpublishedKey()), 'Invalid token'));
    it('tampered payload', async () => {
      const [h, , s] = (await token()).split('.');
      const forged = base64url.encode(
        JSON.stringify({
          sub: 'x',
          user_id: 'x',
          roles: ['admin'],
          tenant_id: 'default',
          iss: 'aegis-auth',
          aud: 'aegis-api',
          exp: now() + 60,
          iat: now(),
          jti: 'j',
          email: 'e',
          display_name: null,
        }),
      );
      await expectRejected(bearer(`${h}.${forged}.${s}`), 'Invalid token');
    });
    it('revoked jti', async () => {
      const t = await token({ jti: 'revoke-me' });
      expect((await fetch(`${gw.url}/api/v1/events/echo`, { headers: bearer(t) })).status).toBe(200);
      bed.authority.revoke('revoke-me', now() + 3600);
      await waitFor(
        'the revocation to reach the gateway',
        async () => (await fetch(`${gw.url}/api/v1/events/echo`, { headers: bearer(t) })).status === 401,
      );
      await expectRejected(bearer(t), 'Invalid token');
    });
    it('deactivated user', async () => {
      const t = await token({ user_id: 'gone', sub: 'gone' });
      expect((await fetch(`${gw.url}/api/v1/events/echo`, { headers: bearer(t) })).status).toBe(200);
      bed.authority.deactivate('gone');
      await waitFor(
        'the deactivation to reach the gateway',
        async () => (await fetch(`${gw.url}/api/v1/events/echo`, { headers: bearer(t) })).status === 401,
      );
      await expectRejected(bearer(t), 'Invalid token');
    });
    it('lets the login endpoint through without a token', async () => {
      const res = await fetch(`${gw.url}/api/v1/auth/token`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      const { url } = (await res.json()) as { url: string };
      expect(url).toBe('/auth/token');
    });
  });

  describe('tenants', () => {
    it('refuses a token of a tenant the gateway does not know with 403', async () => {
      const res = await get('/api/v1/events/echo', {}, { tenant_id: 'nobody' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'unknown_tenant' });
    });
    it('answers 403 tenant_suspended for a suspended tenant', async () => {
      const res = await get('/api/v1/events/echo', {}, { tenant_id: 'frozen' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'tenant_suspended' });
    });
    it('refuses a service the tenant has not enabled', async () => {
      const res = await get('/api/v1/events/echo', {}, { tenant_id: 'narrow' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'service_not_enabled' });
    });
    it('refuses a tenant_id parameter naming another tenant, except for a platform admin', async () => {
      expect(
        (await get('/api/v1/events/echo?tenant_id=acme', {}, { tenant_id: 'default', roles: ['operator'] }))
          .status,
      ).toBe(403);
      expect(
        (
          await get(
            '/api/v1/events/echo?tenant_id=default',
            {},
            { tenant_id: 'default', roles: ['operator'] },
          )
        ).status,
      ).toBe(200);
      // An admin of tenant default is no platform admin: that takes the platform_admin role.
      expect(
        (await get('/api/v1/events/echo?tenant_id=acme', {}, { tenant_id: 'default', roles: ['admin'] }))
          .status,
      ).toBe(403);
      expect(
        (
          await get(
            '/api/v1/events/echo?tenant_id=acme',
            {},
            { tenant_id: 'default', roles: ['admin', 'platform_admin'] },
          )
        ).status,
      ).toBe(200);
    });
  });

  describe('rate limiting', () => {
    it('admits the burst of 120 simultaneous requests from one identity and answers the rest 429', async () => {
      const t = await token({ tenant_id: 'acme', user_id: 'burst-user', sub: 'burst-user' });
      const started = Date.now();
      const responses = await Promise.all(
        Array.from({ length: 120 }, () =>
          fetch(`${gw.url}/api/v1/events/echo`, { headers: { authorization: `Bearer ${t}` } }),
        ),
      );
      const ok = responses.filter((r) => r.status === 200);
      const limited = responses.filter((r) => r.status === 429);
      // Burst 10, plus whatever tokens 100/min added while the requests were in flight.
      expect(ok.length).toBeGreaterThanOrEqual(10);
      expect(ok.length).toBeLessThanOrEqual(10 + Math.ceil(((Date.now() - started) * 100) / 60_000));
      expect(ok.length + limited.length).toBe(120);
      const sample = limited[0];
      expect(Number(sample.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(sample.headers.get('ratelimit-policy')).toMatch(/q=10/);
      expect(sample.headers.get('ratelimit')).toMatch(/r=0/);
      expectCors(sample);
      expect(await sample.json()).toMatchObject({
        error: 'rate limit exceeded — 100 requests/minute',
        code: 'rate_limited',
        detail: expect.any(String),
      });
      expect(ok[0].headers.get('ratelimit')).toMatch(/r=\d+/);
      await Promise.all(responses.filter((r) => !r.bodyUsed && r.body).map((r) => r.body!.cancel()));
    });

    it('applies a changed tenant file live and keeps the last good config when the new one is invalid', async () => {
      const hashOf = async () =>
        ((await (await fetch(`${gw.url}/ready`)).json()) as { config_hash: string }).config_hash;
      const original = await hashOf();
      const spec = (burst: number) => ({ rateLimit: { requestsPerMinute: 60, burst } });
      gw.files.writeTenants([
        { name: 'default', spec: { rateLimit: { requestsPerMinute: 100000, burst: 10000 } } },
        { name: 'acme', spec: { rateLimit: { requestsPerMinute: 100, burst: 10 } } },
        { name: 'live', spec: spec(3) },
      ]);
      await waitFor('the new configuration', async () => (await hashOf()) !== original);
      const t = await token({ tenant_id: 'live', user_id: 'live-user', sub: 'live-user' });
      const statuses = await Promise.all(
        Array.from(
          { length: 8 },
          async () => (await get('/api/v1/events/echo', {}, { tenant_id: 'live' })).status,
        ),
      );
      void t;
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3 * 1);
      const applied = await hashOf();
      // An invalid file (burst over requestsPerMinute) is rejected; the gateway keeps serving.
      gw.files.writeTenants([{ name: 'live', spec: { rateLimit: { requestsPerMinute: 5, burst: 50 } } }]);
      await waitFor('the rejection to be recorded', async () => {
        const cfg = (await (await fetch(`${gw.adminUrl}/config`)).json()) as { last_error: string | null };
        return cfg.last_error !== null && /burst/.test(cfg.last_error);
      });
      expect(await hashOf()).toBe(applied);
      expect(
        (await get('/api/v1/events/echo', {}, { tenant_id: 'acme', user_id: 'other', sub: 'other' })).status,
      ).toBe(200);
    });
  });
  describe('metrics on the admin port', () => {
    it('counts requests by route, upstream and status, limiter decisions, upstream errors and reloads', async () => {
      const text = await (await fetch(`${gw.adminUrl}/metrics`)).text();
      const has = (name: string, labels: Record<string, string>) =>
        text
          .split('\n')
          .some(
            (line) =>
              line.startsWith(`${name}{`) &&
              Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)),
          );
      expect(
        has('aegis_gateway_requests_total', {
          route: '/api/v1/events',
          upstream: 'flaring-monitor',
          status: '200',
        }),
      ).toBe(true);
      expect(has('aegis_gateway_requests_total', { route: '/api/v1/events', status: '429' })).toBe(true);
      expect(has('aegis_gateway_request_duration_seconds_bucket', { route: '/api/v1/events' })).toBe(true);
      expect(
        has('aegis_gateway_ratelimit_decisions_total', {
          rule: 'identity',
          outcome: 'denied',
          decided_by: 'store',
        }),
      ).toBe(true);
      expect(
        has('aegis_gateway_upstream_errors_total', { upstream: 'knowledge-graph', kind: 'refused' }),
      ).toBe(true);
      expect(has('aegis_gateway_upstream_errors_total', { upstream: 'orchestration', kind: 'timeout' })).toBe(
        true,
      );
      expect(has('aegis_gateway_config_reloads_total', { outcome: 'applied' })).toBe(true);
      expect(has('aegis_gateway_config_reloads_total', { outcome: 'rejected' })).toBe(true);
    });
  });
});
