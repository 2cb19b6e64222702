/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import {
  jsonRequest,
  platformTokens,
  startPlatform,
  type PlatformTokens,
  type RunningService,
} from '@aegis/testing';

/** The processes `npm start` runs for the flaring monitor — auth, knowledge graph, flaring-monitor and
 * the gateway with their registry routes — on free loopback ports, driven over HTTP with real tokens. */
export interface FlaringPlatform {
  /** Gateway base URL (append /api/v1/...). */
  base: string;
  flaring: RunningService;
  tokens: PlatformTokens;
  /** A JSON request through the gateway. */
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface FlaringPlatformOptions {
  /** DATABASE_URL of the flaring monitor (default: SQLite in the temp dir). */
  flaringDatabaseUrl?: string;
  flaringEnv?: Record<string, string>;
  /** Extra environment of the auth service (e.g. SERVICE_CLIENT_SECRET for the sweep's identity). */
  authEnv?: Record<string, string>;
}

export async function startFlaringPlatform(options: FlaringPlatformOptions = {}): Promise<FlaringPlatform> {
  const platform = await startPlatform({
    name: 'flaring-platform',
    authEnv: options.authEnv,
    services: [
      { name: 'knowledge-graph', env: { SEED_DEMO_DATA: 'false' } },
      {
        name: 'flaring-monitor',
        env: {
          ...(options.flaringDatabaseUrl ? { DATABASE_URL: options.flaringDatabaseUrl } : {}),
          SEED_DEMO_DATA: 'false',
          ...options.flaringEnv,
        },
      },
    ],
  });
  try {
    const base = platform.base;
    const call: FlaringPlatform['call'] = (method, path, token, body) =>
      jsonRequest(`${base}/api/v1/${path}`, method, {
        token,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const tokens = await platformTokens(base);
    return { base, flaring: platform.services['flaring-monitor'], tokens, call, stop: platform.stop };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}
