import type http from 'node:http';
import { listen } from './listen';
import { createTestTokenIssuer, type TestTokenIssuer } from './token-issuer';

/** A stand-in for the auth service's key and revocation endpoints: signs test tokens with its own
 * Ed25519 key and serves a revocation feed that tests can change. */
export interface TokenAuthority extends TestTokenIssuer {
  revocationsUrl: string;
  revoke(jti: string, exp: number): void;
  deactivate(userId: string): void;
}

export async function startTokenAuthority(): Promise<TokenAuthority> {
  const issuer = await createTestTokenIssuer();
  const revoked: { jti: string; exp: number }[] = [];
  const users = new Map<string, boolean>();
  let version = 0;
  const feed = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        cursor: String(version),
        full: true,
        revoked_tokens: revoked,
        users: [...users].map(([user_id, active]) => ({ user_id, active, tokens_valid_from: null })),
      }),
    );
  };
  const served = await listen(feed, { keepAliveTimeout: 1 });
  const authority = Object.create(issuer) as TokenAuthority;
  return Object.assign(authority, {
    sign: issuer.sign.bind(issuer),
    signWithUnpublishedKey: issuer.signWithUnpublishedKey.bind(issuer),
    addKey: issuer.addKey.bind(issuer),
    jwksUrl: issuer.jwksUrl,
    kid: issuer.kid,
    publicJwk: issuer.publicJwk,
    revocationsUrl: `${served.url}/internal/revocations`,
    revoke(jti: string, exp: number) {
      revoked.push({ jti, exp });
      version += 1;
    },
    deactivate(userId: string) {
      users.set(userId, false);
      version += 1;
    },
    async close() {
      await issuer.close();
      await served.close();
    },
  });
}
