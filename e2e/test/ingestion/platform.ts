import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  startAuthService,
  startFakeFlaringMonitor,
  type FakeFlaringMonitor,
  startLocalService,
  startService,
  startedSet,
  tempDir,
  writeDefaultRoutes,
  type RunningProcess,
} from '@aegis/testing';

/** The processes `npm start` runs for ingestion — auth, knowledge graph, ingestion and the gateway with
 * the default route table — on free loopback ports, driven over HTTP with real tokens. */
export interface IngestionPlatform {
  /** Gateway base URL (append /api/v1/...). */
  base: string;
  ingestionUrl: string;
  ingestion: RunningProcess;
  /** The HTTP stand-in of the flaring monitor's flare-event endpoints that ingestion writes SCADA
   * readings to (the real service is tested on its own). */
  flaring: FakeFlaringMonitor;
  tokens: { admin: string; operator: string; viewer: string; otherTenant: string };
  /** Stored entities of a label in the caller's tenant, counted by the knowledge graph. */
  count(label: string, token?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** DATABASE_URL of the ingestion service (default: SQLite in the temp dir). */
  ingestionDatabaseUrl?: string;
  ingestionEnv?: Record<string, string>;
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function startIngestionPlatform(options: PlatformOptions = {}): Promise<IngestionPlatform> {
  const dir = tempDir('ingestion-platform');
  const running = startedSet();
  const stop = async () => {
    await running.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const flaring = await startFakeFlaringMonitor();
    running.started({ stop: () => flaring.close() });
    const auth = running.started(await startAuthService(dir));
    const local = { dataDir: dir, authUrl: auth.url };
    const kg = running.started(
      await startLocalService('knowledge-graph', { ...local, env: { SEED_DEMO_DATA: 'false' } }),
    );
    const ingestion = running.started(
      await startLocalService('ingestion', {
        ...local,
        env: {
          ...(options.ingestionDatabaseUrl ? { DATABASE_URL: options.ingestionDatabaseUrl } : {}),
          KNOWLEDGE_GRAPH_URL: kg.url,
          FLARING_MONITOR_URL: flaring.url,
          ...options.ingestionEnv,
        },
      }),
    );

    // The default route table with this run's ports; tenants with room for a test's request rate.
    const tenant = (name: string) =>
      stringify({
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisTenant',
        metadata: { name },
        spec: { tenantId: name, rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } },
      });
    fs.writeFileSync(path.join(dir, 'tenants.yaml'), [tenant('default'), tenant('acme')].join('---\n'));
    const gateway = running.started(
      await startService({
        name: 'gateway',
        dir: 'gateway',
        env: {
          AUTH_URL: auth.url,
          ROUTES_FILE: await writeDefaultRoutes(dir, {
            auth: auth.url,
            'knowledge-graph': kg.url,
            ingestion: ingestion.url,
          }),
          TENANTS_FILE: path.join(dir, 'tenants.yaml'),
          REVOCATION_POLL_MS: '200',
        },
      }),
    );
    const base = gateway.url;

    const login = async (email: string, password: string) =>
      (
        await json<{ access_token: string }>(
          await fetch(`${base}/api/v1/auth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password }),
          }),
        )
      ).access_token;
    const admin = await login('admin@aegis.local', 'aegis-dev-admin');
    const createUser = async (email: string, roles: string[], tenantId?: string) => {
      await json(
        await fetch(`${base}/api/v1/auth/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            email,
            password: 'test-password-1',
            roles,
            ...(tenantId ? { tenant_id: tenantId } : {}),
          }),
        }),
      );
      return login(email, 'test-password-1');
    };
    const tokens = {
      admin,
      operator: await createUser('operator@aegis.local', ['operator', 'viewer']),
      viewer: await createUser('viewer@aegis.local', ['viewer']),
      otherTenant: await createUser('operator@acme.example', ['operator', 'viewer'], 'acme'),
    };
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
        return (await json<{ total: number }>(res)).total;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
