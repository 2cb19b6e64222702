import http from 'node:http';
import { waitFor } from '@aegis/testing';
import { startDrillEnv } from './env';
import { round, type DrillResult } from './types';

interface Outcome {
  beforeSignal: boolean;
  status?: number;
  error?: string;
}

/** SIGTERM under steady load: zero failed requests among those accepted, readiness 503 at once. */
export async function sigtermDrill(): Promise<DrillResult> {
  const env = await startDrillEnv({ env: { SHUTDOWN_DELAY_MS: '1000', DRAIN_TIMEOUT_MS: '10000' } });
  try {
    const token = await env.token();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let signalled = false;
    let stop = false;
    const one = () =>
      new Promise<void>((resolve) => {
        const o: Outcome = { beforeSignal: !signalled };
        outcomes.push(o);
        const req = http.request(
          `${env.gateway.url}/api/v1/events/slow?ms=100`,
          { agent, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            res.on('end', () => {
              o.status = res.statusCode;
              resolve();
            });
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) => {
          o.error = err.code ?? err.message;
          resolve();
        });
        req.end();
      });
    const workers = Array.from({ length: 16 }, async () => {
      while (!stop) {
        await one();
        if (outcomes.at(-1)?.error) return;
      }
    });
    await waitFor('steady load', async () => outcomes.filter((o) => o.status === 200).length >= 64, 20_000);
    signalled = true;
    const signalledAt = Date.now();
    env.gateway.process.signal('SIGTERM');
    // The signal is delivered asynchronously; poll until the gateway answers not-ready (it keeps
    // accepting for the 1 s shutdown delay, so a 503 must come well before the listener closes).
    let ready = 0;
    while (Date.now() - signalledAt < 900 && ready !== 503) {
      ready = await fetch(`${env.gateway.url}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready !== 503) await new Promise((r) => setTimeout(r, 10));
    }
    const readyMs = Date.now() - signalledAt;
    await waitFor('the gateway to exit', async () => env.gateway.process.exited(), 20_000);
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    const served = outcomes.filter((o) => o.status === 200).length;
    const reached = env.upstream.seen.filter((r) => r.url.includes('/slow')).length;
    const before = outcomes.filter((o) => o.beforeSignal);
    return {
      name: 'SIGTERM under steady load',
      outcomes: {
        'readiness 503 while still accepting (before the listener closes)': ready === 503,
        'every request sent before the signal answered 200': before.every((o) => o.status === 200),
        'every accepted request answered (served = reached upstream)': served === reached,
        'exit code 0': env.gateway.process.exitCode() === 0,
      },
      measured: {},
      figures: {
        'requests before signal': before.length,
        'requests after signal': outcomes.length - before.length,
        'served after signal': outcomes.filter((o) => !o.beforeSignal && o.status === 200).length,
        'refused after listener closed': outcomes.filter((o) => o.error).length,
        'not ready after ms': round(readyMs),
      },
    };
  } finally {
    await env.stop();
  }
}
