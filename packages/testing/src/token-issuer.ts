import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from '@aegis/common';
import { listen } from './listen';

/** A local token issuer with its own Ed25519 keys and a JWKS served on loopback, plus the forgeries
 * of the JWT negative suite. */
export interface TestTokenIssuer {
  jwksUrl: string;
  /** Number of JWKS requests served. */
  readonly jwksFetches: number;
  kid: string;
  /** Signs a valid token; `claims` override or (with `undefined`) remove standard claims. */
  sign(claims?: Partial<TestClaims> & Record<string, unknown>, options?: { kid?: string }): Promise<string>;
  /** Adds a new key to the published JWKS and returns its kid. */
  addKey(): Promise<string>;
  /** A key that is never published: tokens signed by it have an unknown kid. */
  signWithUnpublishedKey(claims?: Partial<TestClaims>): Promise<string>;
  /** The public JWK of the first key (for HS256-with-public-key forgeries). */
  publicJwk: JWK;
  close(): Promise<void>;
}

export interface TestClaims {
  sub: string;
  user_id: string;
  email: string;
  display_name: string | null;
  roles: Role[];
  tenant_id: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  nbf: number;
  jti: string;
}

interface KeyPair {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

async function newKey(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  return { kid, privateKey, publicJwk };
}

export function defaultTestClaims(nowSec = Math.floor(Date.now() / 1000)): TestClaims & { nbf?: number } {
  const userId = randomUUID();
  return {
    sub: userId,
    user_id: userId,
    email: 'user@example.test',
    display_name: 'Test User',
    roles: ['viewer'],
    tenant_id: 'default',
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: nowSec,
    exp: nowSec + 3600,
    jti: randomUUID(),
  } as TestClaims;
}

async function signWith(key: KeyPair, claims: Record<string, unknown>): Promise<string> {
  const payload: JWTPayload = {};
  for (const [k, v] of Object.entries(claims)) if (v !== undefined) payload[k] = v;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

export async function createTestTokenIssuer(
  options: { nowSec?: () => number } = {},
): Promise<TestTokenIssuer> {
  const nowSec = options.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const keys: KeyPair[] = [await newKey()];
  const unpublished = await newKey();
  let fetches = 0;
  const jwks = await listen(
    (_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    },
    { keepAliveTimeout: 1 },
  );
  const build = (claims: Record<string, unknown> = {}) => ({ ...defaultTestClaims(nowSec()), ...claims });
  return {
    jwksUrl: `${jwks.url}/.well-known/jwks.json`,
    get jwksFetches() {
      return fetches;
    },
    kid: keys[0].kid,
    publicJwk: keys[0].publicJwk,
    sign(claims = {}, opts = {}) {
      const key = keys.find((k) => k.kid === (opts.kid ?? keys[0].kid));
      if (!key) throw new Error(`unknown kid ${opts.kid}`);
      return signWith(key, build(claims));
    },
    async addKey() {
      const key = await newKey();
      keys.push(key);
      return key.kid;
    },
    signWithUnpublishedKey(claims = {}) {
      return signWith(unpublished, build(claims));
    },
    close: jwks.close,
  };
}
