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
