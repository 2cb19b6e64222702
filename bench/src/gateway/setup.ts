import { freePort, startNodeProcess, type RunningProcess } from '@aegis/testing';

/** A quota no benchmark load reaches (the configurations measured are not limited). */
export const HIGH = { requestsPerMinute: 1_000_000, burst: 100_000 };

/** The benchmark's backend (backend.ts) as its own process on a free port. */
export async function startBenchBackend(): Promise<{ process: RunningProcess; port: number; url: string }> {
  const port = await freePort();
  const proc = await startNodeProcess({
    name: 'backend',
    entry: 'bench/src/gateway/backend.ts',
    runner: 'tsx',
    env: { PORT: String(port) },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  return { process: proc, port, url: `http://127.0.0.1:${port}` };
}

/** A reference proxy (raw-proxy.ts, forward-core.ts, or a baseline checkout's copy) in front of the
 * backend on `upstreamPort`, run with tsx on a free port. */
export async function startReferenceProxy(
  name: string,
  entry: string,
  upstreamPort: number,
): Promise<{ proc: RunningProcess; url: string }> {
  const port = await freePort();
  const proc = await startNodeProcess({
    name,
    entry,
    runner: 'tsx',
    env: { PORT: String(port), UPSTREAM_PORT: String(upstreamPort) },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}
