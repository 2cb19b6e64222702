import { corsPolicy } from './cors';

describe('corsPolicy', () => {
  it('allows any origin without credentials by default', () => {
    const headers = corsPolicy({ allowOrigins: ['*'] })('http://app.example');
    expect(headers['Access-Control-Allow-Origin']).toBe('*');
    expect(headers['Access-Control-Allow-Credentials']).toBeUndefined();
    expect(headers.Vary).toBeUndefined();
  });

  it('echoes a listed origin with credentials, and varies by Origin whatever the origin', () => {
    const policy = corsPolicy({ allowOrigins: ['http://app.example', 'https://ops.example'] });
    expect(policy('https://ops.example')).toMatchObject({
      'Access-Control-Allow-Origin': 'https://ops.example',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    for (const origin of ['http://evil.example', 'http://app.example.evil', undefined]) {
      const headers = policy(origin);
      expect(headers['Access-Control-Allow-Origin']).toBeUndefined();
      expect(headers['Access-Control-Allow-Credentials']).toBeUndefined();
      expect(headers.Vary).toBe('Origin');
    }
  });

  it('exposes the gateway’s headers and allows X-Request-Id and Last-Event-ID in preflights', () => {
    for (const allowOrigins of [['*'], ['http://app.example']]) {
      const headers = corsPolicy({ allowOrigins })('http://app.example');
      expect(headers['Access-Control-Expose-Headers']).toBe(
        'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After',
      );
      expect(headers['Access-Control-Allow-Headers']).toBe(
        'Content-Type, Authorization, X-Request-Id, Last-Event-ID',
      );
    }
  });
});
