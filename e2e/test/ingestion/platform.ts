import {
  platformTokens,
  startFakeFlaringMonitor,
  startPlatform,
  type FakeFlaringMonitor,
  type PlatformTokens,
  type RunningProcess,
} from '@aegis/testing';

/** The processes `npm start` runs for ingestion — auth, knowledge graph, ingestion and the gateway with
 * their registry routes — on free loopback ports, driven over HTTP with real tokens. */
export interface IngestionPlatform {
  /** Gateway base URL (append /api/v1/...). */
  base: string;
  ingestionUrl: string;
  ingestion: RunningProcess;
  /** The HTTP stand-in of the flaring monitor's flare-event endpoints that ingestion writes SCADA
   * readings to (the real service is tested on its own). */
  flaring: FakeFlaringMonitor;
  tokens: PlatformTokens;
  /** Stored entities of a label in the caller's tenant, counted by the knowledge graph. */
  count(label: string, token?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface IngestionPlatformOptions {
  /** DATABASE_URL of the ingestion service (default: SQLite in the temp dir). */
  ingestionDatabaseUrl?: string;
  ingestionEnv?: Record<string, string>;
}

export async function startIngestionPlatform(
  options: IngestionPlatformOptions = {},
): Promise<IngestionPlatform> {
  const flaring = await startFakeFlaringMonitor();
  const platform = await startPlatform({
    name: 'ingestion-platform',
    upstreams: { 'flaring-monitor': flaring.url },
    services: [
      { name: 'knowledge-graph', env: { SEED_DEMO_DATA: 'false' } },
      {
        name: 'ingestion',
        env: {
          ...(options.ingestionDatabaseUrl ? { DATABASE_URL: options.ingestionDatabaseUrl } : {}),
          ...options.ingestionEnv,
        },
      },
    ],
  }).catch(async (err: unknown) => {
    await flaring.close();
    throw err;
  });
  const stop = async () => {
    await platform.stop();
    await flaring.close();
  };
  try {
    const base = platform.base;
    const ingestion = platform.services.ingestion;
    const tokens = await platformTokens(base);
    return {
      base,
      ingestionUrl: ingestion.url,
      ingestion: ingestion.process,
      flaring,
      tokens,
      async count(label, token = tokens.operator) {
        const res = await fetch(`${base}/api/v1/entities/${label}?page_size=1`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`${res.status}: ${text}`);
        return (JSON.parse(text) as { total: number }).total;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
