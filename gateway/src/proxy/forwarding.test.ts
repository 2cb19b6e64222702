import { forwardedFor, outboundHeaders, sanitizeResponseHeaders, TrustedProxies } from './forwarding';

describe('outboundHeaders', () => {
  const base = {
    requestId: 'req-12345678',
    forwardedChain: '10.0.0.9',
    proto: 'http' as const,
    host: 'localhost:8000',
  };

  it('removes client identity headers before setting the verified ones', () => {
    const out = outboundHeaders({
      ...base,
      headers: {
        'x-aegis-user-id': 'evil',
        'x-aegis-anything': 'evil',
        'x-user-id': 'evil',
        'x-tenant-id': 'evil',
        'x-roles': 'admin',
        'x-forwarded-for': '1.2.3.4',
        'x-request-id': 'client-chosen-id',
        accept: 'application/json',
      },
      identity: { userId: 'u1', tenantId: 't1', roles: ['viewer'] },
    });
    expect(out).toEqual({
      accept: 'application/json',
      'x-request-id': 'req-12345678',
      'x-forwarded-for': '10.0.0.9',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:8000',
      'x-aegis-user-id': 'u1',
      'x-aegis-tenant-id': 't1',
      'x-aegis-roles': 'viewer',
    });
  });

  it('drops hop-by-hop headers and those named in Connection, but keeps gateway headers', () => {
    const out = outboundHeaders({
      ...base,
      headers: {
        connection: 'close, X-Request-Id, x-aegis-user-id, x-custom',
        'keep-alive': 'timeout=5',
        'x-custom': 'strip me',
        te: 'trailers',
        'transfer-encoding': 'chunked',
        'content-type': 'application/json',
      },
      identity: { userId: 'u1', tenantId: 't1', roles: ['admin', 'viewer'] },
    });
    expect(out['x-custom']).toBeUndefined();
    expect(out.connection).toBeUndefined();
    expect(out['keep-alive']).toBeUndefined();
    expect(out['transfer-encoding']).toBeUndefined();
    expect(out['x-request-id']).toBe('req-12345678');
    expect(out['x-aegis-user-id']).toBe('u1');
    expect(out['x-aegis-roles']).toBe('admin,viewer');
    expect(out['content-type']).toBe('application/json');
  });

  it('passes a cookie token on as a bearer header when none was sent', () => {
    expect(outboundHeaders({ ...base, headers: {}, bearerToken: 'abc' }).authorization).toBe('Bearer abc');
    expect(
      outboundHeaders({ ...base, headers: { authorization: 'Bearer x' }, bearerToken: 'abc' }).authorization,
    ).toBe('Bearer x');
  });
});

describe('forwardedFor', () => {
  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(forwardedFor('203.0.113.5', '1.1.1.1', new TrustedProxies([]))).toEqual({
      client: '203.0.113.5',
      chain: '203.0.113.5',
    });
  });

  it('walks trusted hops right to left and drops what the client prepended', () => {
    const trusted = new TrustedProxies(['10.0.0.0/8', '127.0.0.1']);
    expect(forwardedFor('::ffff:127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3', trusted)).toEqual({
      client: '198.51.100.7',
      chain: '198.51.100.7, 10.1.2.3, 127.0.0.1',
    });
  });

  it('stops at a malformed entry', () => {
    const trusted = new TrustedProxies(['127.0.0.1']);
    expect(forwardedFor('127.0.0.1', 'not-an-ip', trusted).client).toBe('127.0.0.1');
  });

  it('refuses a bad TRUSTED_PROXIES entry', () => {
    expect(() => new TrustedProxies(['nope'])).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('sanitizeResponseHeaders', () => {
  it('removes backend CORS and hop-by-hop headers', () => {
    const h: Record<string, string> = {
      'access-control-allow-origin': 'https://evil.example',
      'access-control-allow-credentials': 'true',
      connection: 'keep-alive, x-internal',
      'keep-alive': 'timeout=5',
      'x-internal': '1',
      'content-type': 'text/event-stream',
    };
    sanitizeResponseHeaders(h);
    expect(h).toEqual({ 'content-type': 'text/event-stream' });
  });
});
