import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort, repoRoot, startNodeProcess, tempDir, type RunningProcess } from '@aegis/testing';

/** The processes `npm start` runs for ingestion — auth, knowledge graph, ingestion and the gateway with
 * the default route table — on free loopback ports, driven over HTTP with real tokens. */
export interface IngestionPlatform {
  /** Gateway base URL (append /api/v1/...). */
  base: string;
  ingestionUrl: string;
  ingestion: RunningProcess;
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
  const [authPort, authAdmin, kgPort, kgAdmin, ingPort, ingAdmin, gwPort, gwAdmin] = await Promise.all(
    Array.from({ length: 8 }, () => freePort()),
  );
  const authUrl = `http://127.0.0.1:${authPort}`;
  const running: RunningProcess[] = [];
  const stop = async () => {
    for (const p of running.reverse()) await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    running.push(
      await startNodeProcess({
        name: 'auth',
        entry: 'services/auth/dist/main.js',
        env: {
          PORT: String(authPort),
          ADMIN_PORT: String(authAdmin),
          DATABASE_URL: `sqlite:${path.join(dir, 'auth.db')}`,
          SCRYPT_LOG_N: '12',
        },
        readyUrl: `${authUrl}/ready`,
      }),
    );
    running.push(
      await startNodeProcess({
        name: 'knowledge-graph',
        entry: 'services/knowledge-graph/dist/main.js',
        env: {
          PORT: String(kgPort),
          ADMIN_PORT: String(kgAdmin),
          DATABASE_URL: `sqlite:${path.join(dir, 'kg.db')}`,
          AUTH_URL: authUrl,
          SEED_DEMO_DATA: 'false',
          REVOCATION_POLL_MS: '200',
        },
        readyUrl: `http://127.0.0.1:${kgPort}/ready`,
      }),
    );
    const ingestion = await startNodeProcess({
      name: 'ingestion',
      entry: 'services/ingestion/dist/main.js',
      env: {
        PORT: String(ingPort),
        ADMIN_PORT: String(ingAdmin),
        DATABASE_URL: options.ingestionDatabaseUrl ?? `sqlite:${path.join(dir, 'ingestion.db')}`,
        AUTH_URL: authUrl,
        KNOWLEDGE_GRAPH_URL: `http://127.0.0.1:${kgPort}`,
        REVOCATION_POLL_MS: '200',
        ...options.ingestionEnv,
      },
      readyUrl: `http://127.0.0.1:${ingPort}/ready`,
    });
    running.push(ingestion);

    // The default route table with this run's ports; tenants with room for a test's request rate.
    const routes = parse(fs.readFileSync(path.join(repoRoot, 'gateway/config/routes.yaml'), 'utf8')) as {
      services: Record<string, { url: string }>;
    };
    routes.services.auth = { url: authUrl };
    routes.services['knowledge-graph'] = { url: `http://127.0.0.1:${kgPort}` };
    routes.services.ingestion = { url: `http://127.0.0.1:${ingPort}` };
    fs.writeFileSync(path.join(dir, 'routes.yaml'), stringify(routes));
    const tenant = (name: string) =>
      stringify({
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisTenant',
        metadata: { name },
        spec: { tenantId: name, rateLimit: { requestsPerMinute: 100_000, burst: 10_000 } },
      });
    fs.writeFileSync(path.join(dir, 'tenants.yaml'), [tenant('default'), tenant('acme')].join('---\n'));
    running.push(
      await startNodeProcess({
        name: 'gateway',
        entry: 'gateway/dist/main.js',
        env: {
          PORT: String(gwPort),
          ADMIN_PORT: String(gwAdmin),
          AUTH_URL: authUrl,
          ROUTES_FILE: path.join(dir, 'routes.yaml'),
          TENANTS_FILE: path.join(dir, 'tenants.yaml'),
          REVOCATION_POLL_MS: '200',
        },
        readyUrl: `http://127.0.0.1:${gwPort}/ready`,
      }),
    );
    const base = `http://127.0.0.1:${gwPort}`;

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
      ingestionUrl: `http://127.0.0.1:${ingPort}`,
      ingestion,
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
