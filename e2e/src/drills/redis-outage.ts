import { startRedis, waitFor } from '@aegis/testing';
import { startDrillEnv } from './env';
import { pool, timedRequest, type Timed } from './http';
import { round, type DrillResult } from './types';

/** Redis stopped under load for each failure policy, then restarted: each policy holds, no request
 * waits (much) longer than the limiter timeout, and shared limiting resumes. */
export async function redisOutageDrill(): Promise<DrillResult> {
  const redis = await startRedis();
  const timeoutMs = 100;
  const high = { requestsPerMinute: 600_000, burst: 50_000 };
  const env = await startDrillEnv({
    env: { REDIS_URL: redis.url, REDIS_TIMEOUT_MS: String(timeoutMs) },
    tenants: [
      { name: 'open', spec: { rateLimit: { ...high, failurePolicy: 'Open' } } },
      { name: 'closed', spec: { rateLimit: { ...high, failurePolicy: 'Closed' } } },
      // The fallback bucket is per replica: small enough that this drill sees it limit.
      {
        name: 'local',
        spec: { rateLimit: { requestsPerMinute: 60, burst: 20, failurePolicy: 'LocalFallback' } },
      },
    ],
  });
  try {
    const headersFor = async (tenant: string) => ({
      authorization: `Bearer ${await env.token({ tenant_id: tenant, user_id: `${tenant}-user`, sub: `${tenant}-user` })}`,
    });
    const auth = {
      open: await headersFor('open'),
      closed: await headersFor('closed'),
      local: await headersFor('local'),
    };
    const call = (tenant: keyof typeof auth) =>
      timedRequest(`${env.gateway.url}/api/v1/events/echo`, { headers: auth[tenant] });
    const healthy = await pool(60, 12, (i) => call((['open', 'closed'] as const)[i % 2]));

    await redis.kill();
    const during: Record<'open' | 'closed' | 'local', Timed[]> = { open: [], closed: [], local: [] };
    let localMs = 0;
    for (const tenant of ['open', 'closed', 'local'] as const) {
      const started = Date.now();
      during[tenant] = await pool(tenant === 'local' ? 40 : 200, 20, () => call(tenant));
      if (tenant === 'local') localMs = Date.now() - started;
    }
    await redis.restart();
    const resumedAfter = Date.now();
    await waitFor(
      'shared limiting to resume',
      async () => (await call('closed')).status === 200,
      30_000,
      100,
    );
    const resumeMs = Date.now() - resumedAfter;
    const afterwards = await pool(60, 12, () => call('closed'));
    const outage = [...during.open, ...during.closed, ...during.local];
    const localOk = during.local.filter((r) => r.status === 200).length;
    return {
      name: 'Redis outage under load',
      outcomes: {
        'healthy store: served': healthy.every((r) => r.status === 200),
        'Open: every request served': during.open.every((r) => r.status === 200),
        'Closed: every request 503': during.closed.every((r) => r.status === 503),
        // The bucket of 20, plus one token per second (60/min) the 40 requests took.
        'LocalFallback: limited by the local bucket (20)':
          localOk >= 20 &&
          localOk <= 20 + Math.ceil(localMs / 1000) &&
          during.local.every((r) => r.status === 200 || r.status === 429),
        'limiting resumes after restart': afterwards.every((r) => r.status === 200),
        'gateway alive': !env.gateway.process.exited(),
      },
      measured: {
        [`no request waited longer than the limiter timeout (${timeoutMs} ms) + 150 ms`]:
          Math.max(...outage.map((r) => r.ms)) < timeoutMs + 150,
      },
      figures: {
        'requests during outage': outage.length,
        'max latency during outage ms': round(Math.max(...outage.map((r) => r.ms))),
        'LocalFallback admitted': localOk,
        'resumed after restart ms': resumeMs,
      },
    };
  } finally {
    await env.stop();
    await redis.stop();
  }
}
