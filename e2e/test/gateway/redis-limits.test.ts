import {
  describeWithRedis,
  startGatewayTestbed,
  waitFor,
  type GatewayTestbed,
  type RunningGateway,
} from '@aegis/testing';

/** Two gateway processes sharing one real redis-server: one quota across replicas, and the tenant's
 * failure policy while Redis is down, then shared limiting again when it is back. */
describeWithRedis('gateway rate limiting on a shared Redis', (redis) => {
  let bed: GatewayTestbed;
  const gateways: RunningGateway[] = [];

  const tenant = (
    name: string,
    failurePolicy: 'Open' | 'Closed' | 'LocalFallback',
    requestsPerMinute: number,
    burst: number,
  ) => ({
    name,
    spec: { rateLimit: { requestsPerMinute, burst, failurePolicy } },
  });

  beforeAll(async () => {
    bed = await startGatewayTestbed();
    const setup = {
      tenants: [
        // 10 per minute: a new token only every 6 s, longer than the burst of requests takes.
        tenant('shared', 'LocalFallback', 10, 10),
        tenant('open', 'Open', 60, 5),
        tenant('closed', 'Closed', 60, 5),
        tenant('local', 'LocalFallback', 60, 5),
      ],
      // Unauthenticated traffic: 5 at once per address, then one per 10 s.
      env: {
        REDIS_URL: redis().url,
        // Long enough for a loaded CI machine: a store that answers late would make each replica fall
        // back to its own bucket and the shared counts below meaningless.
        REDIS_TIMEOUT_MS: '1000',
        DEFAULT_REQUESTS_PER_MINUTE: '6',
        DEFAULT_BURST: '5',
        // The unauthenticated test names its own address, so the other tests' quota is not its.
        TRUSTED_PROXIES: '127.0.0.1',
      },
    };
    const gw = await bed.startGateway(setup);
    // The second shares the first one's files; the testbed stops whatever did start.
    gateways.push(gw, await bed.startGateway({ ...setup, files: gw.files }));
  });

  afterAll(async () => {
    await bed?.stop();
  });

  const call = async (gw: RunningGateway, token: string) => {
    const res = await fetch(`${gw.url}/api/v1/events/echo`, {
      headers: { authorization: `Bearer ${token}` },
      // Not a timing assertion: a request that hangs on the store would never resolve at all.
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { code?: string };
    return { status: res.status, code: body.code };
  };
  const tokenFor = (tenantId: string, userId: string) =>
    bed.token({ tenant_id: tenantId, user_id: userId, sub: userId });

  it('admits exactly the quota of 200 concurrent requests from one identity spread over two gateways', async () => {
    const token = await tokenFor('shared', 'one-identity');
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call(gateways[i % 2], token)));
    // The bucket holds 10 and gains one token per 6 s: exactly 10, plus one per full 6 s the burst took
    // (on a loaded machine it can take that long). More would mean the replicas counted separately.
    const refilled = Math.floor((Date.now() - started) / 6000);
    const admitted = results.filter((r) => r.status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(10 + refilled);
    expect(results.filter((r) => r.status === 429)).toHaveLength(200 - admitted);
  });

  it('limits unauthenticated traffic of one address across both gateways, before verifying tokens', async () => {
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 16; i += 1) {
      // No token and a forged one, alternately, to each gateway in turn.
      const headers: Record<string, string> = { 'x-forwarded-for': '203.0.113.9' };
      if (i % 4 >= 2) headers.authorization = 'Bearer forged.token.value';
      const res = await fetch(`${gateways[i % 2].url}/api/v1/events/echo`, { headers });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(res.headers.get('ratelimit')).toMatch(/^"identity";r=0;t=\d+$/);
        expect(await res.json()).toMatchObject({ code: 'rate_limited', request_id: expect.any(String) });
      }
    }
    // One bucket of 5 shared by both replicas (plus one token per full 10 s the loop took); counted
    // per replica, 10 would get through.
    const refilled = Math.floor((Date.now() - started) / 10_000);
    const admitted = statuses.filter((s) => s === 401).length;
    expect(admitted).toBeGreaterThanOrEqual(5);
    expect(admitted).toBeLessThanOrEqual(5 + refilled);
    expect(statuses.filter((s) => s === 429)).toHaveLength(16 - admitted);
  });

  describe('while Redis is down', () => {
    beforeAll(async () => {
      await redis().kill();
    });

    it('Open: serves every request', async () => {
      const token = await tokenFor('open', 'o-1');
      const results = await Promise.all(Array.from({ length: 12 }, () => call(gateways[0], token)));
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    });

    it('Closed: refuses with 503 rate_limiter_unavailable', async () => {
      const token = await tokenFor('closed', 'c-1');
      const results = await Promise.all(Array.from({ length: 6 }, () => call(gateways[0], token)));
      expect(results).toEqual(Array(6).fill({ status: 503, code: 'rate_limiter_unavailable' }));
    });

    it('LocalFallback: limits with the local bucket of this replica', async () => {
      const token = await tokenFor('local', 'l-1');
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 12 }, () => call(gateways[0], token)));
      // The local bucket of 5, plus one token per second (60/min) the requests took.
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(5);
      expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(
        5 + Math.ceil((Date.now() - started) / 1000),
      );
      expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(6);
    });

    it('keeps the gateways ready and alive', async () => {
      for (const gw of gateways) expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    });
  });

  describe('when Redis returns', () => {
    beforeAll(async () => {
      await redis().restart();
    });

    it('resumes shared limiting across both gateways', async () => {
      const closedToken = await tokenFor('closed', 'c-probe');
      for (const gw of gateways) {
        await waitFor(
          'the limiter to reconnect',
          async () => (await call(gw, closedToken)).status === 200,
          20_000,
          200,
        );
      }
      const token = await tokenFor('local', 'after-restart');
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(gateways[i % 2], token)));
      // One shared bucket of 5 (a local bucket per replica would admit 10), plus one token per second.
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(5);
      expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(
        5 + Math.ceil((Date.now() - started) / 1000),
      );
    });
  });
});
