import { createHmac } from 'node:crypto';
import { base64url } from 'jose';
import { createTestTokenIssuer, type TestTokenIssuer } from '@aegis/testing';
import { UnauthorizedError } from '../errors';
import { missingTokenError, tokenFromRequest } from './claims';
import { createRevocationChecker, type RevocationChecker } from './revocation';
import type { RevocationFeed } from './revocation-state';
import { createTokenVerifier, type TokenVerifier } from './verifier';

const enc = (o: unknown) => base64url.encode(JSON.stringify(o));

async function rejection(p: Promise<unknown>): Promise<{ status: number; detail: unknown; code: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UnauthorizedError || (err as { status?: number }).status) {
      const e = err as UnauthorizedError;
      return { status: e.status, detail: e.detail, code: e.code };
    }
    throw err;
  }
  throw new Error('expected a rejection');
}

const INVALID = { status: 401, detail: 'Invalid token', code: 'invalid_token' };

describe('createTokenVerifier', () => {
  let issuer: TestTokenIssuer;
  let verifier: TokenVerifier;
  let feed: RevocationFeed;
  let revocation: RevocationChecker;

  beforeEach(async () => {
    issuer = await createTestTokenIssuer();
    feed = { cursor: '1', full: true, revoked_tokens: [], users: [] };
    revocation = createRevocationChecker({ fetchFeed: async () => feed, pollIntervalMs: 60_000 });
    verifier = createTokenVerifier({ jwksUrl: issuer.jwksUrl, revocation });
  });

  afterEach(async () => {
    verifier.close();
    revocation.close();
    await issuer.close();
  });

  it('resolves the identity of a valid token', async () => {
    const token = await issuer.sign({ email: 'a@b.test', roles: ['operator', 'reviewer'], tenant_id: 't1' });
    const id = await verifier.verify(token);
    expect(id).toMatchObject({
      email: 'a@b.test',
      roles: ['operator', 'reviewer'],
      tenantId: 't1',
      displayName: 'Test User',
    });
    expect(id.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof id.jti).toBe('string');
  });

  it('leaves a missing token to the caller, who answers "Authorization header required"', () => {
    expect(tokenFromRequest(undefined, undefined)).toBeUndefined();
    expect(tokenFromRequest(undefined, 'other=1')).toBeUndefined();
    expect(missingTokenError()).toMatchObject({
      status: 401,
      detail: 'Authorization header required',
      code: 'missing_token',
    });
  });

  it('reads the bearer header before the aegis_token cookie', () => {
    expect(tokenFromRequest('Bearer abc', 'aegis_token=def')).toBe('abc');
    expect(tokenFromRequest(undefined, 'x=1; aegis_token=def')).toBe('def');
    expect(tokenFromRequest('Basic xyz', undefined)).toBe('');
  });

  it.each([['garbage'], ['a.b.c'], [''], ['x'.repeat(9000)]])(
    'rejects the garbage token %#',
    async (token) => {
      expect(await rejection(verifier.verify(token))).toEqual(INVALID);
    },
  );

  it('rejects alg: none', async () => {
    const good = await issuer.sign();
    const payload = good.split('.')[1];
    const none = `${enc({ alg: 'none', typ: 'JWT', kid: issuer.kid })}.${payload}.`;
    expect(await rejection(verifier.verify(none))).toEqual(INVALID);
  });

  it('rejects HS256 signed with the public key', async () => {
    const good = await issuer.sign();
    const payload = good.split('.')[1];
    const header = enc({ alg: 'HS256', typ: 'JWT', kid: issuer.kid });
    for (const secret of [JSON.stringify(issuer.publicJwk), String(issuer.publicJwk.x)]) {
      const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect(await rejection(verifier.verify(`${header}.${payload}.${sig}`))).toEqual(INVALID);
    }
  });

  it('rejects an expired token with "Token has expired"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ iat: now - 7200, exp: now - 60 });
    expect(await rejection(verifier.verify(token))).toEqual({
      status: 401,
      detail: 'Token has expired',
      code: 'token_expired',
    });
  });

  it('accepts a token expired by less than the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ iat: now - 7200, exp: now - 2 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ exp: now - 2 });
  });

  it('rejects nbf in the future', async () => {
    const token = await issuer.sign({ nbf: Math.floor(Date.now() / 1000) + 600 });
    expect(await rejection(verifier.verify(token))).toEqual(INVALID);
  });

  it.each([
    ['wrong iss', { iss: 'someone-else' }],
    ['wrong aud', { aud: 'other-api' }],
    ['missing jti', { jti: undefined }],
    ['missing exp', { exp: undefined }],
    ['missing sub', { sub: undefined }],
    ['sub differs from user_id', { sub: 'other' }],
    ['unknown role', { roles: ['root'] }],
    ['roles not an array', { roles: 'admin' }],
    ['missing tenant', { tenant_id: undefined }],
  ])('rejects a token with %s', async (_name, claims) => {
    const token = await issuer.sign(claims as Record<string, unknown>);
    expect(await rejection(verifier.verify(token))).toEqual(INVALID);
  });

  it('rejects a token signed by an unknown kid', async () => {
    const token = await issuer.signWithUnpublishedKey();
    expect(await rejection(verifier.verify(token))).toEqual(INVALID);
  });

  it('rejects a tampered payload', async () => {
    const good = await issuer.sign({ roles: ['viewer'] });
    const [h, p, s] = good.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims.roles = ['admin'];
    expect(await rejection(verifier.verify(`${h}.${enc(claims)}.${s}`))).toEqual(INVALID);
  });

  it('rejects a revoked jti', async () => {
    const token = await issuer.sign({ jti: 'revoked-1' });
    feed = {
      cursor: '2',
      full: true,
      revoked_tokens: [{ jti: 'revoked-1', exp: Math.floor(Date.now() / 1000) + 3600 }],
      users: [],
    };
    await revocation.refresh();
    expect(await rejection(verifier.verify(token))).toEqual(INVALID);
  });

  it('rejects the token of a deactivated user', async () => {
    const token = await issuer.sign({ sub: 'u-9', user_id: 'u-9' });
    feed = {
      cursor: '2',
      full: true,
      revoked_tokens: [],
      users: [{ user_id: 'u-9', active: false, tokens_valid_from: null }],
    };
    await revocation.refresh();
    expect(await rejection(verifier.verify(token))).toEqual(INVALID);
  });

  it('rejects a token issued before the user cut-off (password reset) but accepts a newer one', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await issuer.sign({ sub: 'u-8', user_id: 'u-8', iat: now - 10 });
    const fresh = await issuer.sign({ sub: 'u-8', user_id: 'u-8', iat: now });
    feed = {
      cursor: '2',
      full: true,
      revoked_tokens: [],
      users: [{ user_id: 'u-8', active: true, tokens_valid_from: now - 5 }],
    };
    await revocation.refresh();
    expect(await rejection(verifier.verify(old))).toEqual(INVALID);
    await expect(verifier.verify(fresh)).resolves.toMatchObject({ userId: 'u-8' });
  });

  it('serves a repeated token from the cache yet honours a later revocation and deactivation', async () => {
    const cachingVerifier = createTokenVerifier({
      jwksUrl: issuer.jwksUrl,
      revocation,
      jwksMaxAgeMs: 0,
      refreshMinIntervalMs: 0,
    });
    try {
      const token = await issuer.sign({ sub: 'u-7', user_id: 'u-7' });
      await cachingVerifier.verify(token);
      // With a zero key max-age every signature check schedules a JWKS reload; cache hits do not.
      const loadsAfterFirst = cachingVerifier.jwksLoads;
      for (let i = 0; i < 5; i += 1) await cachingVerifier.verify(token);
      expect(cachingVerifier.jwksLoads).toBe(loadsAfterFirst);

      const id = await cachingVerifier.verify(token);
      revocation.revokeLocally(id.jti, id.exp);
      expect(await rejection(cachingVerifier.verify(token))).toEqual(INVALID);

      const other = await issuer.sign({ sub: 'u-7', user_id: 'u-7' });
      await cachingVerifier.verify(other);
      feed = {
        cursor: '3',
        full: false,
        revoked_tokens: [],
        users: [{ user_id: 'u-7', active: false, tokens_valid_from: null }],
      };
      await revocation.refresh();
      expect(await rejection(cachingVerifier.verify(other))).toEqual(INVALID);
    } finally {
      cachingVerifier.close();
    }
  });

  it('answers verifyNow only for a cached token verify() would accept, never for one it would refuse', async () => {
    const token = await issuer.sign({ sub: 'u-9', user_id: 'u-9' });
    expect(verifier.verifyNow?.(token)).toBeUndefined(); // not verified yet
    expect(verifier.verifyNow?.('not-a-jwt')).toBeUndefined();
    const id = await verifier.verify(token);
    const now = verifier.verifyNow?.(token);
    expect(now).toEqual(id);
    now!.roles.push('admin'); // a copy: the cached identity is never handed out
    expect(verifier.verifyNow?.(token)).toEqual(id);
    revocation.revokeLocally(id.jti, id.exp);
    expect(verifier.verifyNow?.(token)).toBeUndefined();
    expect(await rejection(verifier.verify(token))).toEqual(INVALID);
  });

  it('drops a cached token once its key is withdrawn from the JWKS', async () => {
    const keys = { keys: [issuer.publicJwk] };
    const v = createTokenVerifier({ jwks: async () => keys, refreshMinIntervalMs: 0 });
    try {
      const token = await issuer.sign();
      await v.verify(token);
      keys.keys = [];
      await v.reloadKeys();
      expect(await rejection(v.verify(token))).toEqual(INVALID);
    } finally {
      v.close();
    }
  });

  it('answers a cached token with "Token has expired" once its exp has passed', async () => {
    let clock = Date.now();
    const v = createTokenVerifier({ jwksUrl: issuer.jwksUrl, now: () => clock });
    try {
      const nowSec = Math.floor(clock / 1000);
      const token = await issuer.sign({ iat: nowSec, exp: nowSec + 60 });
      await v.verify(token);
      clock += 120_000;
      expect(await rejection(v.verify(token))).toMatchObject({ detail: 'Token has expired' });
    } finally {
      v.close();
    }
  });

  it('answers 503 while the revocation list has never loaded', async () => {
    const failing = createRevocationChecker({
      fetchFeed: async () => {
        throw new Error('down');
      },
      pollIntervalMs: 60_000,
    });
    const v = createTokenVerifier({ jwksUrl: issuer.jwksUrl, revocation: failing, revocationWaitMs: 50 });
    try {
      expect(await rejection(v.verify(await issuer.sign()))).toMatchObject({
        status: 503,
        code: 'auth_unavailable',
      });
    } finally {
      v.close();
      failing.close();
    }
  });
});

describe('createTokenVerifier JWKS refresh', () => {
  it('reloads the JWKS on an unknown kid at most once per interval, single-flight', async () => {
    let clock = Date.now();
    const issuer = await createTestTokenIssuer({ nowSec: () => Math.floor(clock / 1000) });
    const v = createTokenVerifier({
      jwksUrl: issuer.jwksUrl,
      refreshMinIntervalMs: 10_000,
      now: () => clock,
    });
    try {
      await v.verify(await issuer.sign());
      expect(issuer.jwksFetches).toBe(1);

      const newKid = await issuer.addKey();
      const rotated = await issuer.sign({}, { kid: newKid });
      clock += 1000;
      expect(await rejection(v.verify(rotated))).toEqual(INVALID);
      expect(issuer.jwksFetches).toBe(1);

      clock += 10_000;
      const unknown = await Promise.all(Array.from({ length: 20 }, () => issuer.signWithUnpublishedKey()));
      const results = await Promise.all(unknown.map((t) => rejection(v.verify(t))));
      expect(results.every((r) => r.code === 'invalid_token')).toBe(true);
      expect(issuer.jwksFetches).toBe(2);

      // The reload above picked up the new key: the rotated token now verifies without another fetch.
      await expect(v.verify(await issuer.sign({}, { kid: newKid }))).resolves.toBeDefined();
      expect(issuer.jwksFetches).toBe(2);

      for (let i = 0; i < 5; i += 1) await rejection(v.verify(await issuer.signWithUnpublishedKey()));
      expect(issuer.jwksFetches).toBe(2);
    } finally {
      v.close();
      await issuer.close();
    }
  });

  it('answers 503 when no JWKS could ever be loaded', async () => {
    const issuer = await createTestTokenIssuer();
    const token = await issuer.sign();
    const url = issuer.jwksUrl;
    await issuer.close();
    const v = createTokenVerifier({ jwksUrl: url, fetchTimeoutMs: 500 });
    expect(await rejection(v.verify(token))).toMatchObject({ status: 503, code: 'auth_unavailable' });
    v.close();
  });
});
