import http from 'node:http';
import {
  startEchoUpstream,
  startGateway,
  startTokenAuthority,
  waitFor,
  writeGatewayFiles,
  type EchoUpstream,
  type RunningGateway,
  type TokenAuthority,
} from '@aegis/e2e';

interface Outcome {
  sentBeforeSignal: boolean;
  status?: number;
  error?: string;
}

/** SIGTERM under steady load: readiness fails at once, every request accepted before the signal
 * completes, and later ones are either served or refused at connect (never cut mid-way). */
describe('gateway draining on SIGTERM', () => {
  let upstream: EchoUpstream;
  let authority: TokenAuthority;
  let gw: RunningGateway;

  beforeAll(async () => {
    upstream = await startEchoUpstream();
    authority = await startTokenAuthority();
    const files = writeGatewayFiles({
      services: { 'flaring-monitor': upstream.url },
      routes: [{ prefix: '/api/v1/events', service: 'flaring-monitor' }],
      tenants: [{ name: 'default', spec: { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } } }],
    });
    gw = await startGateway({
      files,
      authority,
      env: { SHUTDOWN_DELAY_MS: '1000', DRAIN_TIMEOUT_MS: '10000' },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
    await authority?.close();
  });

  it('completes every accepted request and reports not-ready immediately', async () => {
    const token = await authority.sign();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let signalled = false;
    let stop = false;
    const one = () =>
      new Promise<void>((resolve) => {
        const outcome: Outcome = { sentBeforeSignal: !signalled };
        outcomes.push(outcome);
        const req = http.request(
          `${gw.url}/api/v1/events/slow?ms=200`,
          { agent, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            res.on('end', () => {
              outcome.status = res.statusCode;
              resolve();
            });
            res.on('error', (err) => {
              outcome.error = (err as NodeJS.ErrnoException).code ?? err.message;
              resolve();
            });
          },
        );
        req.on('error', (err) => {
          outcome.error = (err as NodeJS.ErrnoException).code ?? err.message;
          resolve();
        });
        req.end();
      });
    const worker = async () => {
      while (!stop) {
        await one();
        if (outcomes.at(-1)?.error === 'ECONNREFUSED') return;
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await waitFor(
      'load to build up',
      async () => outcomes.filter((o) => o.status === 200).length >= 32,
      20_000,
    );

    signalled = true;
    gw.process.signal('SIGTERM');
    const ready = await waitFor(
      'readiness to fail',
      async () => {
        const res = await fetch(`${gw.url}/ready`);
        return res.status === 503 ? ((await res.json()) as { detail: string }) : undefined;
      },
      900,
      20,
    );
    expect(ready.detail).toBe('draining');

    await waitFor('the gateway to exit', async () => gw.process.exited(), 15_000);
    stop = true;
    await Promise.all(workers);
    agent.destroy();

    const before = outcomes.filter((o) => o.sentBeforeSignal);
    expect(before.length).toBeGreaterThan(32);
    expect(before.filter((o) => o.status !== 200)).toEqual([]);
    // Every request the gateway accepted (it reached the upstream) was answered 200: nothing accepted
    // was dropped. The others never got past the listener (refused, or reset in the kernel's accept
    // queue when it closed) and never reached the upstream.
    const served = outcomes.filter((o) => o.status === 200).length;
    const reachedUpstream = upstream.seen.filter((r) => r.url.includes('/slow')).length;
    expect(served).toBe(reachedUpstream);
    const after = outcomes.filter((o) => !o.sentBeforeSignal);
    expect(after.filter((o) => o.status !== undefined && o.status !== 200)).toEqual([]);
    expect(
      after.filter((o) => o.error !== undefined && !['ECONNREFUSED', 'ECONNRESET'].includes(o.error)),
    ).toEqual([]);
    expect(after.some((o) => o.status === 200)).toBe(true);
    expect(gw.process.exitCode()).toBe(0);
  });
  it('ends an open event stream cleanly and exits', async () => {
    // A second gateway, so this test does not depend on the first one's shutdown.
    const files = writeGatewayFiles({
      services: { 'flaring-monitor': upstream.url },
      routes: [{ prefix: '/api/v1/events', service: 'flaring-monitor' }],
      tenants: [{ name: 'default' }],
    });
    const second = await startGateway({
      files,
      authority,
      env: { DRAIN_TIMEOUT_MS: '20000', LOG_LEVEL: 'info' },
    });
    const res = await fetch(`${second.url}/api/v1/events/sse`, {
      headers: { authorization: `Bearer ${await authority.sign()}` },
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: token')) text += Buffer.from((await reader.read()).value ?? []).toString();
    second.process.signal('SIGTERM');
    // The stream ends normally (done), not with a network error, long before the drain deadline.
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    await waitFor('the gateway to exit', async () => second.process.exited(), 10_000);
    expect(second.process.exitCode()).toBe(0);
    expect(second.process.output()).toMatch(/Ended event streams for shutdown/);
  });
});
