import { SignJWT, base64url } from 'jose';
import { startDrillEnv } from './env';
import { pool, timedRequest } from './http';
import { round, type DrillResult } from './types';

/** 10,000 requests with forged or malformed tokens and headers: all rejected, none reaches the
 * backend (the backend counts what it received), and the flood is limited per client address: 401
 * for the address's unauthenticated quota, then 429 without verifying the tokens. */
export async function forgedTokensDrill(total = 10_000): Promise<DrillResult> {
  const env = await startDrillEnv();
  try {
    const now = Math.floor(Date.now() / 1000);
    const valid = await env.token();
    const [h, p, s] = valid.split('.') as [string, string, string];
    const forgedPayload = base64url.encode(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p, 'base64url').toString()),
        roles: ['admin'],
        user_id: 'x',
        sub: 'x',
      }),
    );
    const hs256 = await new SignJWT({
      user_id: 'u',
      roles: ['admin'],
      tenant_id: 'default',
      email: 'e',
      display_name: null,
    })
      .setProtectedHeader({ alg: 'HS256', kid: env.authority.kid })
      .setSubject('u')
      .setIssuer('aegis-auth')
      .setAudience('aegis-api')
      .setIssuedAt()
      .setJti('j')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(env.authority.publicJwk)));
    const none = `${base64url.encode('{"alg":"none","typ":"JWT"}')}.${p}.`;
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Bearer garbage' },
      { authorization: `Bearer ${none}` },
      { authorization: `Bearer ${hs256}` },
      { authorization: `Bearer ${h}.${forgedPayload}.${s}` },
      { authorization: `Bearer ${await env.authority.sign({ exp: now - 60, iat: now - 3600 })}` },
      { authorization: `Bearer ${await env.authority.sign({ aud: 'other' })}` },
      { authorization: `Bearer ${await env.authority.sign({ iss: 'other' })}` },
      { authorization: `Bearer ${await env.authority.signWithUnpublishedKey()}` },
      { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      { authorization: `Bearer ${'A'.repeat(9000)}` },
      { cookie: 'aegis_token=not.a.token' },
      { 'x-aegis-user-id': 'admin', 'x-aegis-tenant-id': 'default', 'x-aegis-roles': 'admin' },
      { 'x-user-id': 'admin', 'x-tenant-id': 'default', authorization: 'Bearer ' },
    ];
    const before = env.upstream.seen.length;
    const started = Date.now();
    const results = await pool(total, 50, (i) =>
      timedRequest(`${env.gateway.url}/api/v1/events/echo`, { headers: variants[i % variants.length] }),
    );
    const seconds = (Date.now() - started) / 1000;
    const reached = env.upstream.seen.length - before;
    const byStatus: Record<string, number> = {};
    for (const r of results) byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
    return {
      name: 'forged and malformed tokens',
      outcomes: {
        'every request rejected with 401 or 429': results.every((r) => r.status === 401 || r.status === 429),
        'the flood limited with 429': (byStatus['429'] ?? 0) > 0,
        'none reached the backend': reached === 0,
        'gateway alive': !env.gateway.process.exited(),
      },
      measured: {},
      figures: {
        requests: total,
        'backend received': reached,
        'req/s': round(total / seconds),
        statuses: JSON.stringify(byStatus),
      },
    };
  } finally {
    await env.stop();
  }
}
