import { startGatewayTestbed, waitFor, type GatewayTestbed } from '@aegis/testing';

/** Draining with open event streams. SIGTERM under steady load (readiness fails at once, every
 * accepted request completes) is the fault drill `sigtermDrill`, asserted in e2e/test/drills. */
describe('gateway draining on SIGTERM', () => {
  let bed: GatewayTestbed;

  beforeAll(async () => {
    bed = await startGatewayTestbed();
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('ends an open event stream cleanly and exits', async () => {
    const gw = await bed.startGateway({ env: { DRAIN_TIMEOUT_MS: '20000', LOG_LEVEL: 'info' } });
    const res = await fetch(`${gw.url}/api/v1/events/sse`, {
      headers: { authorization: `Bearer ${await bed.token()}` },
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: token')) text += Buffer.from((await reader.read()).value ?? []).toString();
    gw.process.signal('SIGTERM');
    // The stream ends normally (done), not with a network error, long before the drain deadline.
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    await waitFor('the gateway to exit', async () => gw.process.exited(), 10_000);
    expect(gw.process.exitCode()).toBe(0);
    expect(gw.process.output()).toMatch(/Ended event streams for shutdown/);
  });
});
