import { startDrillEnv } from './env';
import { pool, timedRequest } from './http';
import { msPercentile, round, type DrillResult } from './types';
import { rssMiB } from '@aegis/testing';

/** An upstream that is down, one that resets connections, one that hangs: 503 (not running) / 502 /
 * 504 JSON within the configured timeouts, no crash, memory flat afterwards. */
export async function upstreamFailuresDrill(perKind = 300): Promise<DrillResult> {
  const env = await startDrillEnv();
  try {
    const pid = env.gateway.process.child.pid!;
    const auth = { authorization: `Bearer ${await env.token()}` };
    const rssBefore = rssMiB(pid);
    const down = await pool(perKind, 32, () =>
      timedRequest(`${env.gateway.url}/api/v1/graph/x`, { headers: auth }),
    );
    const reset = await pool(perKind, 32, () =>
      timedRequest(`${env.gateway.url}/api/v1/events/reset`, { headers: auth }),
    );
    const hang = await pool(Math.min(perKind, 100), 50, () =>
      timedRequest(`${env.gateway.url}/api/v1/execute/hang`, { headers: auth }),
    );
    const alive =
      !env.gateway.process.exited() && (await timedRequest(`${env.gateway.url}/health`)).status === 200;
    // Memory after the storm, once garbage has had a moment to go.
    await new Promise((r) => setTimeout(r, 1000));
    const rssAfter = rssMiB(pid);
    const max = (xs: { ms: number }[]) => Math.max(...xs.map((x) => x.ms));
    return {
      name: 'upstream down / reset / hang',
      outcomes: {
        'down → 503 service_unavailable': down.every((r) => r.status === 503),
        'reset → 502': reset.every((r) => r.status === 502),
        'hang → 504': hang.every((r) => r.status === 504),
        'gateway alive': alive,
      },
      measured: {
        'down and reset answered within the connect timeout (1 s)': max([...down, ...reset]) < 1000,
        'hang answered within the route timeout (1 s) + 0.5 s': max(hang) < 1500,
        'memory flat (< 40 MiB growth)': rssAfter - rssBefore < 40,
      },
      figures: {
        requests: down.length + reset.length + hang.length,
        'down p99 ms': msPercentile(down, 99),
        'reset p99 ms': msPercentile(reset, 99),
        'hang max ms': round(max(hang)),
        'RSS before MiB': round(rssBefore),
        'RSS after MiB': round(rssAfter),
      },
    };
  } finally {
    await env.stop();
  }
}
