/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read field by field */
import fs from 'node:fs';
import {
  startAuthService,
  startGateway,
  startLocalService,
  startedSet,
  tempDir,
  writeGatewayFiles,
  type RunningService,
} from '@aegis/testing';
import { serviceByName } from '@aegis/common';

/** The processes `npm start` runs for the flaring monitor — auth, knowledge graph, flaring-monitor and
 * the gateway with their registry routes — on free loopback ports, driven over HTTP with real tokens. */
export interface FlaringPlatform {
  /** Gateway base URL (append /api/v1/...). */
  base: string;
  flaring: RunningService;
  tokens: { admin: string; operator: string; viewer: string; otherTenant: string };
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

const unlimited = { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } };
const prefixes = (name: string) =>
  serviceByName(name).routes.map((r) => ({ prefix: r.prefix, service: name, timeoutMs: r.timeoutMs }));

export async function startFlaringPlatform(options: FlaringPlatformOptions = {}): Promise<FlaringPlatform> {
  const dir = tempDir('flaring-platform');
  const running = startedSet();
  const stop = async () => {
    await running.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const auth = running.started(await startAuthService(dir, options.authEnv));
    const local = { dataDir: dir, authUrl: auth.url };
    const kg = running.started(
      await startLocalService('knowledge-graph', { ...local, env: { SEED_DEMO_DATA: 'false' } }),
    );
    const flaring = running.started(
      await startLocalService('flaring-monitor', {
        ...local,
        env: {
          ...(options.flaringDatabaseUrl ? { DATABASE_URL: options.flaringDatabaseUrl } : {}),
          KNOWLEDGE_GRAPH_URL: kg.url,
          SEED_DEMO_DATA: 'false',
          ...options.flaringEnv,
        },
      }),
    );
    const files = writeGatewayFiles({
      services: { auth: auth.url, 'knowledge-graph': kg.url, 'flaring-monitor': flaring.url },
      routes: [...prefixes('auth'), ...prefixes('knowledge-graph'), ...prefixes('flaring-monitor')],
      tenants: [
        { name: 'default', spec: unlimited },
        { name: 'acme', spec: unlimited },
      ],
    });
    const gateway = running.started(
      await startGateway({
        files,
        authority: {
          jwksUrl: `${auth.url}/auth/.well-known/jwks.json`,
          revocationsUrl: `${auth.url}/internal/revocations`,
        },
      }),
    );
    const base = gateway.url;
    const call: FlaringPlatform['call'] = async (method, path, token, body) => {
      const res = await fetch(`${base}/api/v1/${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const login = async (email: string, password: string) => {
      const r = await call('POST', 'auth/token', '', { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.access_token as string;
    };
    const admin = await login('admin@aegis.local', 'aegis-dev-admin');
    const createUser = async (email: string, roles: string[], tenantId?: string) => {
      const r = await call('POST', 'auth/users', admin, {
        email,
        password: 'test-password-1',
        roles,
        ...(tenantId ? { tenant_id: tenantId } : {}),
      });
      if (r.status !== 201 && r.status !== 200) throw new Error(`user ${email}: ${r.status}`);
      return login(email, 'test-password-1');
    };
    const tokens = {
      admin,
      operator: await createUser('operator@aegis.local', ['operator', 'viewer']),
      viewer: await createUser('viewer@aegis.local', ['viewer']),
      otherTenant: await createUser('operator@acme.example', ['operator', 'viewer'], 'acme'),
    };
    return { base, flaring, tokens, call, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
